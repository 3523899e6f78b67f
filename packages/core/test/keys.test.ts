import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localDataKeyProvider, open, seal } from "../src/keys/index.ts";
import { hashNeedsUpgrade } from "../src/moving/password-upgrade.ts";
import { toImportUser } from "../src/moving/import-record.ts";

describe("seal / open (AES-256-GCM)", () => {
  const key = randomBytes(32);
  it("round-trips, and a box differs each time", () => {
    const a = seal("ada@example.com", key, "aad");
    expect(a).not.toBe(seal("ada@example.com", key, "aad"));
    expect(open(a, key, "aad").toString()).toBe("ada@example.com");
  });
  it("refuses another key, another aad and a tampered box", () => {
    const box = seal("secret", key, "event-1");
    expect(() => open(box, randomBytes(32), "event-1")).toThrow();
    expect(() => open(box, key, "event-2")).toThrow();
    const parts = box.split(".");
    parts[2] = Buffer.from("tampered!").toString("base64url");
    expect(() => open(parts.join("."), key, "event-1")).toThrow();
  });
});

describe("the local data-key provider", () => {
  it("wraps a fresh key that unwraps only for the same context and master key", async () => {
    const master = randomBytes(32);
    const provider = localDataKeyProvider(master);
    const { plaintext, wrapped } = await provider.generateDataKey({ userId: "u1" });
    expect(plaintext).toHaveLength(32);
    expect(wrapped).not.toContain(plaintext.toString("base64"));
    expect(await provider.unwrapDataKey(wrapped, { userId: "u1" })).toEqual(plaintext);
    await expect(provider.unwrapDataKey(wrapped, { userId: "u2" })).rejects.toThrow();
    await expect(localDataKeyProvider(randomBytes(32)).unwrapDataKey(wrapped, { userId: "u1" })).rejects.toThrow();
  });
  it("keeps its master key under DATA_DIR across processes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keys-"));
    process.env.DATA_DIR = dir;
    const { dataKeyProvider } = await import("../src/keys/data-key-provider.ts");
    const { wrapped, plaintext } = await dataKeyProvider().generateDataKey({ userId: "u" });
    const { readFileSync } = await import("node:fs");
    const again = localDataKeyProvider(Buffer.from(readFileSync(join(dir, "master-key"), "utf8"), "base64"));
    expect(await again.unwrapDataKey(wrapped, { userId: "u" })).toEqual(plaintext);
  });
});

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
