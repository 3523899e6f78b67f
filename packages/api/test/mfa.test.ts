import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { Mfa } from "@users/core";
import { db } from "@users/core/store/service";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../src/index.ts";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();
const STEP_MS = 30_000;

/** A signed-in customer with MFA on: its secret, recovery codes and credentials. */
async function userWithMfa() {
  const user = await api.signedInUser();
  const enrolled = await api.request("POST", "/v1/auth/mfa/totp", { token: user.token });
  expect(enrolled.status).toBe(200);
  const secret: string = enrolled.body.secret;
  const confirmed = await api.request("POST", "/v1/auth/mfa/totp/confirm", { token: user.token, body: { code: Mfa.totpCode(secret) } });
  expect(confirmed.status).toBe(200);
  return { ...user, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** Password step: the 401 MFA_REQUIRED and its token. */
async function mfaTokenFor(user: { email: string; password: string }): Promise<string> {
  const res = await api.request("POST", "/v1/auth/login", { body: { email: user.email, password: user.password }, token: null });
  expect([res.status, res.body.code]).toEqual([401, "MFA_REQUIRED"]);
  expect(res.body.mfaToken).toEqual(expect.any(String));
  return res.body.mfaToken;
}

const verify = (mfaToken: string, code: string) => api.request("POST", "/v1/auth/mfa/verify", { body: { mfaToken, code }, token: null });

describe("TOTP enrollment", () => {
  it("returns a secret and otpauth URI, is not active until confirmed, then returns 10 recovery codes once", async () => {
    const user = await api.signedInUser();
    const res = await api.request("POST", "/v1/auth/mfa/totp", { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(res.body.otpauthUri).searchParams.get("secret")).toBe(res.body.secret);
    expect(new URL(res.body.otpauthUri).searchParams.get("digits")).toBe("6");

    // Not active yet: the password alone still signs in.
    expect((await api.request("GET", "/v1/auth/me", { token: user.token })).body.mfaEnabled).toBe(false);
    await api.signIn(user.email, user.password);

    const wrong = await api.request("POST", "/v1/auth/mfa/totp/confirm", {
      token: user.token,
      body: { code: Mfa.totpCode(res.body.secret, Date.now() + 10 * STEP_MS) },
    });
    expect([wrong.status, wrong.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    const malformed = await api.request("POST", "/v1/auth/mfa/totp/confirm", { token: user.token, body: { code: "12ab" } });
    expect([malformed.status, malformed.body.code]).toEqual([400, "VALIDATION_FAILED"]);

    const confirmed = await api.request("POST", "/v1/auth/mfa/totp/confirm", { token: user.token, body: { code: Mfa.totpCode(res.body.secret) } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);

    const me = await api.request("GET", "/v1/auth/me", { token: user.token });
    expect(me.body.mfaEnabled).toBe(true);
    expect(JSON.stringify(me.body)).not.toContain(res.body.secret);

    const again = await api.request("POST", "/v1/auth/mfa/totp", { token: user.token });
    expect([again.status, again.body.code]).toEqual([409, "MFA_ALREADY_ENABLED"]);
    const reconfirm = await api.request("POST", "/v1/auth/mfa/totp/confirm", { token: user.token, body: { code: Mfa.totpCode(res.body.secret) } });
    expect([reconfirm.status, reconfirm.body.code]).toEqual([409, "MFA_ALREADY_ENABLED"]);

    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`, { token: user.token });
    expect(audit.body.items.find((e: { type: string }) => e.type === "user.mfa_enabled")).toMatchObject({
      changes: { mfaEnabled: { from: false, to: true } },
      actor: { kind: "user", userId: user.userId },
    });
  });

  it("keeps the secret and recovery codes only sealed or hashed at rest", async () => {
    const user = await userWithMfa();
    const { data: stored } = await db().mfaFactor.get({ userId: user.userId }).go();
    const raw = JSON.stringify(stored);
    expect(stored?.status).toBe("active");
    expect(raw).not.toContain(user.secret);
    for (const code of user.recoveryCodes) expect(raw).not.toContain(code.replace("-", ""));
    expect(stored?.wrappedKey).toMatch(/^local:/);
  });

  it("needs a signed-in user; confirming without an enrollment is 404", async () => {
    expect((await api.request("POST", "/v1/auth/mfa/totp", { token: null })).status).toBe(401);
    const user = await api.signedInUser();
    const res = await api.request("POST", "/v1/auth/mfa/totp/confirm", { token: user.token, body: { code: "123456" } });
    expect([res.status, res.body.code]).toEqual([404, "NOT_FOUND"]);
  });
});

describe("signing in with MFA", () => {
  it("a right password is 401 MFA_REQUIRED with an mfaToken; a TOTP code then signs in, once", async () => {
    const user = await userWithMfa();
    const mfaToken = await mfaTokenFor(user);
    // The MFA token is not an access token.
    expect((await api.request("GET", "/v1/auth/me", { token: mfaToken })).status).toBe(401);

    // The step after the one used to confirm (accepted within ±1 step).
    const code = Mfa.totpCode(user.secret, Date.now() + STEP_MS);
    const signedIn = await verify(mfaToken, code);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, user: { userId: user.userId, mfaEnabled: true } });
    expect((await api.request("GET", "/v1/auth/me", { token: signedIn.body.accessToken })).status).toBe(200);

    // The same code (and the older one used to confirm) is never accepted again.
    const reused = await verify(await mfaTokenFor(user), code);
    expect([reused.status, reused.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    const older = await verify(await mfaTokenFor(user), Mfa.totpCode(user.secret));
    expect([older.status, older.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
  });

  it("a recovery code signs in once (case, spaces and the dash do not matter)", async () => {
    const user = await userWithMfa();
    const recovery = user.recoveryCodes[3]!;
    const typed = ` ${recovery.toUpperCase().replace("-", " ")} `;
    const signedIn = await verify(await mfaTokenFor(user), typed);
    expect(signedIn.status).toBe(200);
    const reused = await verify(await mfaTokenFor(user), recovery);
    expect([reused.status, reused.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    // The others still work.
    expect((await verify(await mfaTokenFor(user), user.recoveryCodes[4]!)).status).toBe(200);
  });

  it("two requests with one code at once: exactly one signs in", async () => {
    const user = await userWithMfa();
    const [a, b] = [await mfaTokenFor(user), await mfaTokenFor(user)];
    const code = user.recoveryCodes[0]!;
    const results = await Promise.all([verify(a, code), verify(b, code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("wrong codes count as failed sign-ins: after 5 attempts in all, 429 even for a right code or password", async () => {
    const user = await userWithMfa();
    const mfaToken = await mfaTokenFor(user); // attempt 1
    for (let i = 0; i < 4; i++) {
      const wrong = await verify(mfaToken, "000000" === Mfa.totpCode(user.secret) ? "111111" : "000000");
      expect([wrong.status, wrong.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    }
    const locked = await verify(mfaToken, Mfa.totpCode(user.secret, Date.now() + STEP_MS));
    expect([locked.status, locked.body.code]).toEqual([429, "TOO_MANY_ATTEMPTS"]);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const login = await api.request("POST", "/v1/auth/login", { body: { email: user.email, password: user.password }, token: null });
    expect(login.status).toBe(429);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    expect(audit.body.items.filter((e: { type: string; reason?: string }) => e.type === "auth.login_failed" && e.reason === "wrong MFA code")).toHaveLength(4);
  });

  it("refuses a tampered or foreign MFA token", async () => {
    const user = await userWithMfa();
    const mfaToken = await mfaTokenFor(user);
    const tampered = await verify(`${mfaToken.slice(0, -4)}AAAA`, Mfa.totpCode(user.secret, Date.now() + STEP_MS));
    expect([tampered.status, tampered.body.code]).toEqual([401, "UNAUTHENTICATED"]);
    const accessToken = await verify(user.token, Mfa.totpCode(user.secret, Date.now() + STEP_MS));
    expect([accessToken.status, accessToken.body.code]).toEqual([401, "UNAUTHENTICATED"]);
  });

  it("tRPC callers get MFA_REQUIRED with data.mfaToken and finish with auth.mfaVerify", async () => {
    const user = await userWithMfa();
    const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: api.url("/trpc") })] });
    let mfaToken = "";
    try {
      await trpc.auth.login.mutate({ email: user.email, password: user.password });
      throw new Error("expected MFA_REQUIRED");
    } catch (error) {
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data as { code: string; mfaToken: string; httpStatus: number };
      expect([data.code, data.httpStatus]).toEqual(["MFA_REQUIRED", 401]);
      mfaToken = data.mfaToken;
    }
    const tokens = await trpc.auth.mfaVerify.mutate({ mfaToken, code: Mfa.totpCode(user.secret, Date.now() + STEP_MS) });
    expect(tokens.user.userId).toBe(user.userId);
  });
});

describe("turning MFA off", () => {
  it("an admin resets it without a code: 204, mfaEnabled false, the password alone signs in", async () => {
    const user = await userWithMfa();
    const res = await api.request("DELETE", `/v1/users/${user.userId}/mfa`);
    expect(res.status).toBe(204);
    expect((await api.request("GET", `/v1/users/${user.userId}`)).body.mfaEnabled).toBe(false);
    await api.signIn(user.email, user.password);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    expect(audit.body.items.find((e: { type: string }) => e.type === "user.mfa_disabled")).toMatchObject({
      changes: { mfaEnabled: { from: true, to: false } },
      actor: { kind: "user", userId: api.adminId },
    });
    // Enrolling again works, with a new secret.
    const enrolled = await api.request("POST", "/v1/auth/mfa/totp", { token: user.token });
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.secret).not.toBe(user.secret);
  });

  it("the user needs a right code in the body; someone else may not", async () => {
    const user = await userWithMfa();
    const other = await api.signedInUser();
    const foreign = await api.request("DELETE", `/v1/users/${user.userId}/mfa`, { token: other.token });
    expect([foreign.status, foreign.body.code]).toEqual([403, "FORBIDDEN"]);
    const noCode = await api.request("DELETE", `/v1/users/${user.userId}/mfa`, { token: user.token });
    expect([noCode.status, noCode.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    const wrong = await api.request("DELETE", `/v1/users/${user.userId}/mfa`, { token: user.token, body: { code: "abcde-fghjk" } });
    expect([wrong.status, wrong.body.code]).toEqual([401, "INVALID_MFA_CODE"]);
    expect((await api.request("GET", "/v1/auth/me", { token: user.token })).body.mfaEnabled).toBe(true);
    const done = await api.request("DELETE", `/v1/users/${user.userId}/mfa`, {
      token: user.token,
      body: { code: Mfa.totpCode(user.secret, Date.now() + STEP_MS) },
    });
    expect(done.status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", { token: user.token })).body.mfaEnabled).toBe(false);
  });
});
