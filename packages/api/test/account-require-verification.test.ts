/**
 * REQUIRE_EMAIL_VERIFICATION=true: self sign-up makes a pending user, who becomes active by following
 * the verify-email link; users an admin creates with a password start active as before.
 */
import { describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";
import { tokenOf, useMailbox } from "./helpers/mailbox.ts";

process.env.REQUIRE_EMAIL_VERIFICATION = "true";

const api = useApiServer();
const mailbox = useMailbox();

describe("REQUIRE_EMAIL_VERIFICATION=true", () => {
  it("a self sign-up is pending until its address is verified", async () => {
    const body = newUserBody();
    const created = await api.request("POST", "/v1/users", { body, token: null });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "pending", emailVerified: false });

    const refused = await api.request("POST", "/v1/auth/login", { body: { email: body.email, password: body.password }, token: null });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("ACCOUNT_PENDING");

    const token = tokenOf(await mailbox.next(body.email, "verify-email"));
    const verified = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: "active", emailVerified: true });
    const audit = await api.request("GET", `/v1/users/${created.body.userId}/audit`);
    const event = audit.body.items.find((e: { type: string }) => e.type === "user.email_verified");
    expect(event.changes).toEqual({ emailVerified: { from: false, to: true }, status: { from: "pending", to: "active" } });
    await api.signIn(body.email, body.password);
  });

  it("a user an admin creates with a password is active, and verifying leaves a held user pending", async () => {
    const body = newUserBody();
    const created = await api.request("POST", "/v1/users", { body });
    expect(created.body).toMatchObject({ status: "active", emailVerified: false });
    const token = tokenOf(await mailbox.next(body.email, "verify-email"));

    // An admin puts the user on hold; the sign-up link verifies the address but does not lift the hold.
    await api.request("PUT", `/v1/users/${created.body.userId}/status`, { body: { status: "pending" } });
    const verified = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(verified.body).toMatchObject({ status: "pending", emailVerified: true });
  });
});
