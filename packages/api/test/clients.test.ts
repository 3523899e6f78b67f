import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

async function createClient(scopes: string[], name = "billing-sync") {
  const res = await api.request("POST", "/v1/clients", { body: { name, scopes } });
  expect(res.status).toBe(201);
  return res.body as { clientId: string; clientSecret: string; name: string; scopes: string[]; createdAt: string };
}

/** POST /v1/oauth/token, form-encoded as RFC 6749 has it. */
async function tokenRequest(params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(api.url("/v1/oauth/token"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });

async function tokenFor(client: { clientId: string; clientSecret: string }, scope?: string): Promise<string> {
  const res = await tokenRequest({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }, basic(client.clientId, client.clientSecret));
  expect(res.status).toBe(200);
  return res.body.access_token;
}

describe("managing machine clients", () => {
  it("an admin creates one (secret shown once), lists them without secrets, and revokes it", async () => {
    const created = await createClient(["users:write", "users:read", "users:read"]);
    expect(created).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String), name: "billing-sync" });
    expect(created.scopes).toEqual(["users:read", "users:write"]);
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(43);

    const list = await api.request("GET", "/v1/clients");
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({ clientId: created.clientId, name: "billing-sync", scopes: ["users:read", "users:write"], createdAt: created.createdAt });
    expect(JSON.stringify(list.body)).not.toContain(created.clientSecret);
    expect(JSON.stringify(list.body)).not.toMatch(/secret/i);

    expect((await api.request("DELETE", `/v1/clients/${created.clientId}`)).status).toBe(204);
    expect((await api.request("GET", "/v1/clients")).body.items.map((c: { clientId: string }) => c.clientId)).not.toContain(created.clientId);
    const again = await api.request("DELETE", `/v1/clients/${created.clientId}`);
    expect([again.status, again.body.code]).toEqual([404, "NOT_FOUND"]);

    const audit = await api.request("GET", `/v1/users/${api.adminId}/audit`);
    const types = audit.body.items.filter((e: { changes: { clientId?: unknown } }) => e.changes.clientId).map((e: { type: string }) => e.type);
    expect(types).toEqual(["client.revoked", "client.created"]);
  });

  it("only admins: a customer and a moderator get 403, anonymous 401; bad input is 400", async () => {
    const customer = await api.signedInUser();
    const moderator = await api.signedInUser(["moderator"]);
    for (const token of [customer.token, moderator.token]) {
      expect((await api.request("POST", "/v1/clients", { token, body: { name: "x", scopes: ["users:read"] } })).status).toBe(403);
      expect((await api.request("GET", "/v1/clients", { token })).status).toBe(403);
    }
    expect((await api.request("GET", "/v1/clients", { token: null })).status).toBe(401);
    const bad = await api.request("POST", "/v1/clients", { body: { name: "x", scopes: ["users:admin"] } });
    expect([bad.status, bad.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    const none = await api.request("POST", "/v1/clients", { body: { name: "x", scopes: [] } });
    expect(none.status).toBe(400);
  });
});

describe("POST /v1/oauth/token", () => {
  it("issues a 15-minute Bearer JWT for HTTP Basic, form-encoded", async () => {
    const client = await createClient(["users:read"]);
    const res = await tokenRequest({ grant_type: "client_credentials" }, basic(client.clientId, client.clientSecret));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900, scope: "users:read" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({ sub: client.clientId, client_id: client.clientId, scope: "users:read" });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(decodeProtectedHeader(res.body.access_token)).toMatchObject({ alg: "EdDSA", typ: "at+jwt" });
  });

  it("accepts client_id/client_secret in a form or JSON body, and a narrower scope", async () => {
    const client = await createClient(["users:read", "users:write"]);
    const form = await tokenRequest({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "users:read" });
    expect([form.status, form.body.scope]).toEqual([200, "users:read"]);
    const json = await api.request("POST", "/v1/oauth/token", {
      token: null,
      body: { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret },
    });
    expect([json.status, json.body.scope]).toEqual([200, "users:read users:write"]);
  });

  it("a bad client is 401 INVALID_CLIENT with error invalid_client (and WWW-Authenticate for Basic)", async () => {
    const client = await createClient(["users:read"]);
    const wrongSecret = await tokenRequest({ grant_type: "client_credentials" }, basic(client.clientId, "not-the-secret"));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toMatchObject({ code: "INVALID_CLIENT", error: "invalid_client", requestId: expect.any(String) });
    expect(wrongSecret.headers.get("www-authenticate")).toMatch(/^Basic /);
    const unknown = await tokenRequest({ grant_type: "client_credentials", client_id: crypto.randomUUID(), client_secret: client.clientSecret });
    expect([unknown.status, unknown.body.code, unknown.body.error]).toEqual([401, "INVALID_CLIENT", "invalid_client"]);
    const missing = await tokenRequest({ grant_type: "client_credentials" });
    expect([missing.status, missing.body.error]).toEqual([401, "invalid_client"]);
  });

  it("refuses other grants, scopes beyond the client's, and two ways of authenticating", async () => {
    const client = await createClient(["users:read"]);
    const grant = await tokenRequest({ grant_type: "password" }, basic(client.clientId, client.clientSecret));
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
    const scope = await tokenRequest({ grant_type: "client_credentials", scope: "users:write" }, basic(client.clientId, client.clientSecret));
    expect([scope.status, scope.body.error]).toEqual([400, "invalid_scope"]);
    const both = await tokenRequest(
      { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret },
      basic(client.clientId, client.clientSecret),
    );
    expect([both.status, both.body.error]).toEqual([400, "invalid_request"]);
    const noGrant = await tokenRequest({}, basic(client.clientId, client.clientSecret));
    expect([noGrant.status, noGrant.body.error]).toEqual([400, "invalid_request"]);
  });
});

describe("calling the API as a client", () => {
  it("users:read reads what a moderator reads and nothing more (403 INSUFFICIENT_SCOPE)", async () => {
    const token = await tokenFor(await createClient(["users:read"]));
    const target = (await api.request("POST", "/v1/users", { token: null, body: newUserBody() })).body;
    expect((await api.request("GET", "/v1/users", { token })).status).toBe(200);
    expect((await api.request("GET", `/v1/users/${target.userId}`, { token })).status).toBe(200);
    expect((await api.request("GET", `/v1/users/${target.userId}/audit`, { token })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/v1/users", newUserBody()],
      ["PATCH", `/v1/users/${target.userId}`, { firstName: "X" }],
      ["DELETE", `/v1/users/${target.userId}`, undefined],
      ["PUT", `/v1/users/${target.userId}/status`, { status: "suspended" }],
    ] as const) {
      const res = await api.request(method, path, { token, body });
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, "INSUFFICIENT_SCOPE"]);
    }
  });

  it("users:write adds create, update, replace, status changes and delete, recorded with the client as actor", async () => {
    const client = await createClient(["users:write"]);
    const token = await tokenFor(client);
    const created = await api.request("POST", "/v1/users", { token, body: newUserBody() });
    expect(created.status).toBe(201);
    const userId = created.body.userId;
    expect((await api.request("GET", `/v1/users/${userId}`, { token })).status).toBe(200);
    const patched = await api.request("PATCH", `/v1/users/${userId}`, { token, body: { firstName: "Grace" } });
    expect([patched.status, patched.body.firstName]).toEqual([200, "Grace"]);
    const { userId: _id, email, firstName, lastName } = patched.body;
    expect((await api.request("PUT", `/v1/users/${userId}`, { token, body: { email, firstName, lastName: `${lastName}-Hopper` } })).status).toBe(200);
    expect((await api.request("PUT", `/v1/users/${userId}/status`, { token, body: { status: "suspended" } })).status).toBe(200);
    const audit = await api.request("GET", `/v1/users/${userId}/audit`, { token });
    expect(audit.body.items[0]).toMatchObject({ type: "user.status_changed", actor: { kind: "client", clientId: client.clientId } });
    expect((await api.request("DELETE", `/v1/users/${userId}`, { token })).status).toBe(204);
  });

  it("roles, clients, passwords, one's own account and a person's data as a whole are never a client's", async () => {
    const token = await tokenFor(await createClient(["users:read", "users:write"]));
    const target = (await api.request("POST", "/v1/users", { token: null, body: newUserBody() })).body;
    const denied = [
      await api.request("POST", `/v1/users/${target.userId}/roles`, { token, body: { role: "moderator" } }),
      await api.request("POST", "/v1/users", { token, body: newUserBody({ roles: ["admin"] }) }),
      await api.request("POST", "/v1/clients", { token, body: { name: "x", scopes: ["users:read"] } }),
      await api.request("GET", "/v1/clients", { token }),
      await api.request("POST", `/v1/users/${target.userId}/password`, { token, body: { currentPassword: "x", newPassword: "another password" } }),
      await api.request("GET", "/v1/auth/me", { token }),
      await api.request("DELETE", `/v1/users/${target.userId}/mfa`, { token }),
      // A person's data as a whole (export, erasure, avatar) is the user's or an admin's, not a scope's.
      await api.request("GET", `/v1/users/${target.userId}/data-export`, { token }),
      await api.request("POST", `/v1/users/${target.userId}/erase`, { token, body: {} }),
      await api.request("POST", `/v1/users/${target.userId}/avatar`, { token, body: { contentType: "image/png", size: 1000 } }),
      await api.request("DELETE", `/v1/users/${target.userId}/avatar`, { token }),
    ];
    for (const res of denied) expect([res.status, res.body.code]).toEqual([403, "INSUFFICIENT_SCOPE"]);
  });

  it("an admin is not a client's to edit, replace, suspend or delete (an email change would hand it the account)", async () => {
    const token = await tokenFor(await createClient(["users:read", "users:write"]));
    const admin = (await api.request("GET", `/v1/users/${api.adminId}`)).body;
    const { email, firstName, lastName } = admin;
    const denied = [
      await api.request("PATCH", `/v1/users/${api.adminId}`, { token, body: { email: "taken.over@example.com" } }),
      await api.request("PUT", `/v1/users/${api.adminId}`, { token, body: { email: "taken.over@example.com", firstName, lastName } }),
      await api.request("PUT", `/v1/users/${api.adminId}/status`, { token, body: { status: "suspended" } }),
      await api.request("DELETE", `/v1/users/${api.adminId}`, { token }),
    ];
    for (const res of denied) expect([res.status, res.body.code]).toEqual([403, "INSUFFICIENT_SCOPE"]);
    // Nothing changed, and no message went to another address.
    const after = (await api.request("GET", `/v1/users/${api.adminId}`)).body;
    expect(after).toMatchObject({ email, status: "active", version: admin.version });
    // It still reads the admin (users:read), and edits anyone else, a moderator too.
    expect((await api.request("GET", `/v1/users/${api.adminId}`, { token })).status).toBe(200);
    const moderator = await api.signedInUser(["moderator"]);
    const edited = await api.request("PATCH", `/v1/users/${moderator.userId}`, { token, body: { firstName: "Mod" } });
    expect([edited.status, edited.body.firstName]).toEqual([200, "Mod"]);
  });

  it("a token narrowed to users:read cannot write even if the client could", async () => {
    const token = await tokenFor(await createClient(["users:read", "users:write"]), "users:read");
    const res = await api.request("POST", "/v1/users", { token, body: newUserBody() });
    expect([res.status, res.body.code]).toEqual([403, "INSUFFICIENT_SCOPE"]);
  });

  it("a revoked client's tokens stop on the next request, and it gets no new ones", async () => {
    const client = await createClient(["users:read"]);
    const token = await tokenFor(client);
    expect((await api.request("GET", "/v1/users", { token })).status).toBe(200);
    expect((await api.request("DELETE", `/v1/clients/${client.clientId}`)).status).toBe(204);
    const after = await api.request("GET", "/v1/users", { token });
    expect([after.status, after.body.code]).toEqual([401, "UNAUTHENTICATED"]);
    const again = await tokenRequest({ grant_type: "client_credentials" }, basic(client.clientId, client.clientSecret));
    expect([again.status, again.body.error]).toEqual([401, "invalid_client"]);
  });

  it("a tampered client token is refused", async () => {
    const token = await tokenFor(await createClient(["users:read"]));
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), scope: "users:read users:write" })).toString("base64url");
    const res = await api.request("POST", "/v1/users", { token: `${header}.${payload}.${signature}`, body: newUserBody() });
    expect([res.status, res.body.code]).toEqual([401, "UNAUTHENTICATED"]);
  });
});
