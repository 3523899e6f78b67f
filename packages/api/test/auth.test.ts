import { config } from "@users/core";
import { dynamo } from "@users/core/store/client";
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { seedUser, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

const bearer = (token: string) => ({ token });

describe("sign-in", () => {
  it("returns tokens and the user; the access token is a verifiable EdDSA JWT with the contract's claims", async () => {
    const { email, password, user } = await seedUser();
    const res = await api.request("POST", "/v1/auth/login", { body: { email: email.toUpperCase(), password }, token: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: "Bearer", expiresIn: 900, user: { userId: user.userId, lastLoginAt: expect.any(String) } });
    const header = decodeProtectedHeader(res.body.accessToken);
    const claims = decodeJwt(res.body.accessToken);
    expect(header.alg).toBe("EdDSA");
    const jwks = (await api.request("GET", "/.well-known/jwks.json", { token: null })).body;
    expect(jwks.keys.map((k: JWK) => k.kid)).toContain(header.kid);
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
    expect(claims).toMatchObject({ sub: user.userId, roles: ["customer"], iss: expect.any(String), aud: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(900);
    for (const claim of ["sid", "jti"]) expect(claims[claim]).toEqual(expect.any(String));
    const me = await api.request("GET", "/v1/auth/me", bearer(res.body.accessToken));
    expect(me.body.userId).toBe(user.userId);
  });

  it("unknown email and wrong password are the same 401 INVALID_CREDENTIALS", async () => {
    const { email } = await seedUser();
    const wrong = await api.request("POST", "/v1/auth/login", { body: { email, password: "not the password" }, token: null });
    const unknown = await api.request("POST", "/v1/auth/login", {
      body: { email: "nobody.at.all@example.com", password: "not the password" },
      token: null,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect({ ...wrong.body, requestId: 0 }).toEqual({ ...unknown.body, requestId: 0 });
    expect(wrong.body.code).toBe("INVALID_CREDENTIALS");
  });

  it("a correct password for a suspended or pending account is 403 with its code", async () => {
    const suspended = await seedUser({ status: "suspended" });
    const pending = await seedUser({ status: "pending" });
    const a = await api.request("POST", "/v1/auth/login", { body: { email: suspended.email, password: suspended.password }, token: null });
    const b = await api.request("POST", "/v1/auth/login", { body: { email: pending.email, password: pending.password }, token: null });
    expect([a.status, a.body.code]).toEqual([403, "ACCOUNT_SUSPENDED"]);
    expect([b.status, b.body.code]).toEqual([403, "ACCOUNT_PENDING"]);
  });

  it("locks an email after 5 failures in 15 minutes, with Retry-After, even for the right password", async () => {
    const { email, password } = await seedUser();
    for (let i = 0; i < 5; i++) {
      expect((await api.request("POST", "/v1/auth/login", { body: { email, password: "wrong password" }, token: null })).status).toBe(401);
    }
    const locked = await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("TOO_MANY_ATTEMPTS");
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it("counts concurrent guesses exactly: 20 at once, 5 are checked", async () => {
    const { email } = await seedUser();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.request("POST", "/v1/auth/login", { body: { email, password: "guess guess" }, token: null })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it("five sign-ins of one account at once all open a session (phone, laptop and tabs at the same moment)", async () => {
    const { email, password } = await seedUser();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => api.request("POST", "/v1/auth/login", { body: { email, password }, token: null })),
    );
    expect(results.map((r) => [r.status, r.body.code])).toEqual(Array.from({ length: 5 }, () => [200, undefined]));
    const { accessToken } = results[0]!.body;
    const sessions = await api.request("GET", "/v1/auth/sessions", { token: accessToken });
    expect(sessions.body.items).toHaveLength(5);
  });

  it("a sign-in whose transaction loses a race (TransactionConflict) sends it again and opens the session", async () => {
    const { email, password } = await seedUser();
    // DynamoDB Local waits for its locks instead of answering TransactionConflict: the answer is put in
    // front of the table for the sign-in's first transaction.
    let conflicts = 0;
    dynamo().middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "TransactWriteItemsCommand" && conflicts === 0) {
          conflicts += 1;
          throw Object.assign(new Error("Transaction is ongoing for the item"), { name: "TransactionConflictException" });
        }
        return next(args);
      },
      { step: "initialize", name: "answerOneConflict" },
    );
    try {
      const res = await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null });
      expect(conflicts).toBe(1);
      expect(res.status).toBe(200);
      const sessions = await api.request("GET", "/v1/auth/sessions", { token: res.body.accessToken });
      expect(sessions.body.items).toHaveLength(1);
    } finally {
      dynamo().middlewareStack.remove("answerOneConflict");
    }
  });

  it("a successful sign-in resets the email's count", async () => {
    const { email, password } = await seedUser();
    const wrong = () => api.request("POST", "/v1/auth/login", { body: { email, password: "wrong password" }, token: null });
    for (let i = 0; i < 4; i++) await wrong();
    expect((await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await wrong()).status).toBe(401);
  });
});

describe("access tokens", () => {
  async function realKey() {
    const [jwk] = JSON.parse(config().signingKeys!) as JWK[];
    return { key: await importJWK(jwk!, "EdDSA"), kid: jwk!.kid! };
  }

  it("refuses alg none, a wrong key, a tampered payload, a wrong audience or issuer, and an expired token", async () => {
    const signedIn = await api.signedInUser();
    const claims = decodeJwt(signedIn.token);
    const [header, payload, signature] = signedIn.token.split(".") as [string, string, string];
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const { key, kid } = await realKey();
    const other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const sign = (key: unknown, overrides: Record<string, unknown> = {}, exp = claims.exp!) =>
      new SignJWT({ ...claims, ...overrides, exp })
        .setProtectedHeader({ alg: "EdDSA", kid })
        .sign(key as Parameters<SignJWT["sign"]>[0]);

    const attacks: Record<string, string> = {
      none: `${b64({ alg: "none", typ: "JWT" })}.${payload}.`,
      wrongKey: await sign(other.privateKey),
      tampered: `${header}.${b64({ ...claims, roles: ["admin"] })}.${signature}`,
      wrongAudience: await sign(key, { aud: "someone-else" }),
      wrongIssuer: await sign(key, { iss: "https://evil.example" }),
      hs256: `${b64({ alg: "HS256", kid })}.${payload}.${signature}`,
      garbage: "not.a.token",
    };
    for (const [name, token] of Object.entries(attacks)) {
      const res = await api.request("GET", "/v1/auth/me", bearer(token));
      expect(res.status, name).toBe(401);
      expect(res.body.code, name).toBe("UNAUTHENTICATED");
    }
    const expired = await sign(key, {}, Math.floor(Date.now() / 1000) - 31);
    const res = await api.request("GET", "/v1/auth/me", bearer(expired));
    expect([res.status, res.body.code]).toEqual([401, "TOKEN_EXPIRED"]);
    const withinSkew = await sign(key, {}, Math.floor(Date.now() / 1000) - 10);
    expect((await api.request("GET", "/v1/auth/me", bearer(withinSkew))).status).toBe(200);
    const badHeader = await api.request("GET", "/v1/auth/me", { token: null, headers: { authorization: "Basic abc" } });
    expect(badHeader.status).toBe(401);
  });

  it("a suspension, a removed role and a deletion count on the very next request", async () => {
    const user = await api.signedInUser(["customer", "moderator"]);
    expect((await api.request("GET", "/v1/users", bearer(user.token))).status).toBe(200);
    await api.request("DELETE", `/v1/users/${user.userId}/roles/moderator`);
    expect((await api.request("GET", "/v1/users", bearer(user.token))).status).toBe(403);

    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "suspended" } });
    const suspended = await api.request("GET", "/v1/auth/me", bearer(user.token));
    expect([suspended.status, suspended.body.code]).toEqual([403, "ACCOUNT_SUSPENDED"]);
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "active" } });
    expect((await api.request("GET", "/v1/auth/me", bearer(user.token))).status).toBe(401);

    const again = await api.signIn(user.email, user.password);
    await api.request("DELETE", `/v1/users/${user.userId}`);
    expect((await api.request("GET", "/v1/auth/me", bearer(again.accessToken))).status).toBe(401);
    expect((await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: again.refreshToken }, token: null })).status).toBe(401);
  });

  it("a suspension ends every session: tokens from before it stay invalid after a reactivation", async () => {
    const user = await api.signedInUser(["customer"]);
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "suspended" } });
    const refresh = await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: user.refreshToken }, token: null });
    expect([refresh.status, refresh.body.code]).toEqual([401, "INVALID_REFRESH_TOKEN"]);
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "active" } });
    const me = await api.request("GET", "/v1/auth/me", bearer(user.token));
    expect([me.status, me.body.code]).toEqual([401, "UNAUTHENTICATED"]);
    const refreshed = await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: user.refreshToken }, token: null });
    expect([refreshed.status, refreshed.body.code]).toEqual([401, "INVALID_REFRESH_TOKEN"]);
    expect((await api.request("GET", "/v1/auth/sessions", bearer(user.token))).status).toBe(401);
    // Signing in again works.
    expect((await api.request("POST", "/v1/auth/login", { body: { email: user.email, password: user.password }, token: null })).status).toBe(200);
  });

  it("a wrong current password on a password change counts like a failed sign-in, and is audited", async () => {
    const user = await api.signedInUser(["customer"]);
    const change = (currentPassword: string) =>
      api.request("POST", `/v1/users/${user.userId}/password`, {
        ...bearer(user.token),
        body: { currentPassword, newPassword: "a brand new password" },
      });
    for (let i = 0; i < 5; i++) expect((await change("not my password")).status).toBe(400);
    const locked = await change(user.password);
    expect([locked.status, locked.body.code]).toEqual([429, "TOO_MANY_ATTEMPTS"]);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const trail = await api.request("GET", `/v1/users/${user.userId}/audit?limit=50`);
    expect(trail.body.items.filter((e: { type: string }) => e.type === "auth.login_failed")).toHaveLength(5);
  });

  it("signing in records lastLoginAt without changing the version (an ETag stays valid)", async () => {
    const user = await api.signedInUser(["customer"]);
    const before = await api.request("GET", `/v1/users/${user.userId}`);
    const signedIn = await api.request("POST", "/v1/auth/login", { body: { email: user.email, password: user.password }, token: null });
    expect(signedIn.body.user.version).toBe(before.body.version);
    const after = await api.request("GET", `/v1/users/${user.userId}`);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.lastLoginAt).toBe(signedIn.body.user.lastLoginAt);
    expect(after.headers.get("etag")).toBe(before.headers.get("etag"));
  });
});

describe("refresh, logout and sessions", () => {
  const refresh = (refreshToken: string) => api.request("POST", "/v1/auth/refresh", { body: { refreshToken }, token: null });

  it("rotates: the new pair works, and the old refresh token, used again after the grace window, ends the session", async () => {
    const user = await api.signedInUser();
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await api.request("GET", "/v1/auth/me", bearer(first.body.accessToken))).status).toBe(200);

    await new Promise((r) => setTimeout(r, 10_500));
    const reuse = await refresh(user.refreshToken);
    expect([reuse.status, reuse.body.code]).toEqual([401, "INVALID_REFRESH_TOKEN"]);
    // The whole session is over: the newest tokens stop working too.
    expect((await refresh(first.body.refreshToken)).status).toBe(401);
    expect((await api.request("GET", "/v1/auth/me", bearer(first.body.accessToken))).status).toBe(401);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    expect(audit.body.items.map((e: { type: string }) => e.type)).toContain("auth.refresh_reuse_detected");
  }, 20_000);

  it("two tabs refreshing at once both get the same new pair", async () => {
    const user = await api.signedInUser();
    const [a, b] = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    expect(a.body.accessToken).toBe(b.body.accessToken);
    // Within the window a late duplicate still gets the same pair, and the session lives on.
    const late = await refresh(user.refreshToken);
    expect(late.body.refreshToken).toBe(a.body.refreshToken);
    expect((await refresh(a.body.refreshToken)).status).toBe(200);
  });

  it("refuses forged and malformed refresh tokens without ending anything", async () => {
    const user = await api.signedInUser();
    const [head] = user.refreshToken.split(".");
    for (const token of [`${head}.${"A".repeat(43)}`, "nonsense", `${user.refreshToken}x`]) {
      const res = await refresh(token);
      expect(res.status, token).toBe(401);
      expect(res.body.code).toBe("INVALID_REFRESH_TOKEN");
    }
    expect((await refresh(user.refreshToken)).status).toBe(200);
  });

  it("logout ends the current session only", async () => {
    const { email, password } = await seedUser();
    const one = await api.signIn(email, password);
    const two = await api.signIn(email, password);
    expect((await api.request("POST", "/v1/auth/logout", bearer(one.accessToken))).status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", bearer(one.accessToken))).status).toBe(401);
    expect((await refresh(one.refreshToken)).status).toBe(401);
    expect((await api.request("GET", "/v1/auth/me", bearer(two.accessToken))).status).toBe(200);
  });

  it("lists sessions with the current one marked, and revokes one by id", async () => {
    const { email, password, user } = await seedUser();
    const one = await api.signIn(email, password, { "user-agent": "tab-one" });
    const two = await api.signIn(email, password, { "user-agent": "tab-two" });
    const listed = await api.request("GET", "/v1/auth/sessions", bearer(two.accessToken));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const current = listed.body.items.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ userAgent: "tab-two", ip: expect.any(String), createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    const otherSession = listed.body.items.find((s: { current: boolean }) => !s.current).sessionId;

    // Someone else (a customer) cannot see or end it; an admin can.
    const stranger = await api.signedInUser();
    expect((await api.request("DELETE", `/v1/auth/sessions/${otherSession}`, bearer(stranger.token))).status).toBe(404);
    expect((await api.request("DELETE", `/v1/auth/sessions/${otherSession}`, bearer(two.accessToken))).status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", bearer(one.accessToken))).status).toBe(401);
    expect((await api.request("DELETE", `/v1/auth/sessions/${otherSession}`, bearer(two.accessToken))).status).toBe(404);
    const mine = (await api.request("GET", "/v1/auth/sessions", bearer(two.accessToken))).body.items;
    expect(mine.map((s: { sessionId: string }) => s.sessionId)).not.toContain(otherSession);

    const adminRevoke = await api.request("DELETE", `/v1/auth/sessions/${mine[0].sessionId}`);
    expect(adminRevoke.status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", bearer(two.accessToken))).status).toBe(401);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    expect(audit.body.items.filter((e: { type: string }) => e.type === "auth.session_revoked")).toHaveLength(2);
  });

  it("a password change ends every other session and needs the current password", async () => {
    const { email, password, user } = await seedUser();
    const keep = await api.signIn(email, password);
    const other = await api.signIn(email, password);
    const path = `/v1/users/${user.userId}/password`;
    const wrong = await api.request("POST", path, { body: { currentPassword: "nope nope", newPassword: "a new password" }, ...bearer(keep.accessToken) });
    expect([wrong.status, wrong.body.issues?.[0]?.path]).toEqual([400, "currentPassword"]);
    const tooLong = await api.request("POST", path, { body: { currentPassword: password, newPassword: "é".repeat(37) }, ...bearer(keep.accessToken) });
    expect(tooLong.status).toBe(400);

    const changed = await api.request("POST", path, { body: { currentPassword: password, newPassword: "a new password" }, ...bearer(keep.accessToken) });
    expect(changed.status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", bearer(keep.accessToken))).status).toBe(200);
    expect((await api.request("GET", "/v1/auth/me", bearer(other.accessToken))).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null })).status).toBe(401);
    expect((await api.request("POST", "/v1/auth/login", { body: { email, password: "a new password" }, token: null })).status).toBe(200);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    const event = audit.body.items.find((e: { type: string }) => e.type === "user.password_changed");
    expect(event.changes).toEqual({ password: { changed: true } });
    expect(JSON.stringify(audit.body)).not.toContain("a new password");
  });
});
