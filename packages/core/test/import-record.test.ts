import { describe, expect, it } from "vitest";
import { hashNeedsUpgrade } from "../src/access/password.ts";
import { toImportUser } from "../src/moving/import-record.ts";

describe("imported password hashes", () => {
  const hash = (prefix: string, cost: string) => `$${prefix}$${cost}$${"a".repeat(53)}`;
  it("need an upgrade for another cost or the $2a$/$2y$ prefix, not at the configured one", () => {
    expect(hashNeedsUpgrade(hash("2b", "12"), 12)).toBe(false);
    expect(hashNeedsUpgrade(hash("2b", "10"), 12)).toBe(true);
    expect(hashNeedsUpgrade(hash("2y", "12"), 12)).toBe(true);
    expect(hashNeedsUpgrade(hash("2a", "12"), 12)).toBe(true);
    expect(hashNeedsUpgrade("!no-password", 12)).toBe(false);
  });
  it("records of each format become the same user", () => {
    const ndjson = toImportUser("ndjson", { email: " A@B.co ", firstName: "A", lastName: "B", passwordHash: hash("2y", "10"), userId: "ignored", version: 3, avatarUrl: null });
    expect(ndjson).toEqual({ ok: true, user: { email: "a@b.co", firstName: "A", lastName: "B", passwordHash: hash("2y", "10") } });
    const auth0 = toImportUser("auth0", { email: "a@b.co", given_name: "A", family_name: "B", blocked: true, password_hash: hash("2b", "10") });
    expect(auth0).toMatchObject({ ok: true, user: { status: "suspended", passwordHash: hash("2b", "10") } });
    const cognito = toImportUser("cognito-csv", { email: "a@b.co", given_name: "A", family_name: "B", email_verified: "TRUE", phone_number: "" });
    expect(cognito).toEqual({ ok: true, user: { email: "a@b.co", firstName: "A", lastName: "B", emailVerified: true, status: "pending" } });
    expect(toImportUser("ndjson", [1, 2])).toMatchObject({ ok: false });
    expect(toImportUser("ndjson", { email: "a@b.co", firstName: "A", lastName: "B", status: "active" })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/status: a user without a password/),
    });
  });
});
