import { config, configure } from "@users/core";
import { describe, expect, it } from "vitest";
import { newUserBody, seedUser, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

type Who = "anonymous" | "self" | "other customer" | "moderator" | "admin";
type Target = { userId: string; password: string; sessionId: string };
type Call = [method: string, path: (t: Target) => string, body?: (t: Target) => unknown];

/**
 * Every operation × every kind of caller, on a fresh customer as the target. `self` is the target
 * itself; the others act on it. The expected status comes from the contract's who-column.
 */
const matrix: { operation: string; call: Call; expect: Record<Who, number> }[] = [
  { operation: "create (self sign-up)", call: ["POST", () => "/v1/users", () => newUserBody()],
    expect: { anonymous: 201, self: 201, "other customer": 201, moderator: 201, admin: 201 } },
  { operation: "create with roles", call: ["POST", () => "/v1/users", () => newUserBody({ roles: ["moderator"] })],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 403, admin: 201 } },
  { operation: "create with status", call: ["POST", () => "/v1/users", () => newUserBody({ status: "pending" })],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 403, admin: 201 } },
  { operation: "get", call: ["GET", (t) => `/v1/users/${t.userId}`],
    expect: { anonymous: 401, self: 200, "other customer": 403, moderator: 200, admin: 200 } },
  { operation: "list", call: ["GET", () => "/v1/users"],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 200, admin: 200 } },
  { operation: "update", call: ["PATCH", (t) => `/v1/users/${t.userId}`, () => ({ firstName: "Changed" })],
    expect: { anonymous: 401, self: 200, "other customer": 403, moderator: 403, admin: 200 } },
  { operation: "replace", call: ["PUT", (t) => `/v1/users/${t.userId}`, () => ({ email: newUserBody().email, firstName: "A", lastName: "B" })],
    expect: { anonymous: 401, self: 200, "other customer": 403, moderator: 403, admin: 200 } },
  { operation: "delete", call: ["DELETE", (t) => `/v1/users/${t.userId}`],
    expect: { anonymous: 401, self: 204, "other customer": 403, moderator: 403, admin: 204 } },
  { operation: "set status", call: ["PUT", (t) => `/v1/users/${t.userId}/status`, () => ({ status: "suspended" })],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 200, admin: 200 } },
  { operation: "add role", call: ["POST", (t) => `/v1/users/${t.userId}/roles`, () => ({ role: "admin" })],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 403, admin: 200 } },
  { operation: "remove role", call: ["DELETE", (t) => `/v1/users/${t.userId}/roles/customer`],
    expect: { anonymous: 401, self: 403, "other customer": 403, moderator: 403, admin: 400 /* the only role stays */ } },
  { operation: "change password", call: ["POST", (t) => `/v1/users/${t.userId}/password`, (t) => ({ currentPassword: t.password, newPassword: "brand new password" })],
    expect: { anonymous: 401, self: 204, "other customer": 403, moderator: 403, admin: 403 } },
  { operation: "audit", call: ["GET", (t) => `/v1/users/${t.userId}/audit`],
    expect: { anonymous: 401, self: 200, "other customer": 403, moderator: 200, admin: 200 } },
  { operation: "data export", call: ["GET", (t) => `/v1/users/${t.userId}/data-export`],
    expect: { anonymous: 401, self: 200, "other customer": 403, moderator: 403, admin: 200 } },
  { operation: "erase", call: ["POST", (t) => `/v1/users/${t.userId}/erase`],
    expect: { anonymous: 401, self: 204, "other customer": 403, moderator: 403, admin: 204 } },
  { operation: "revoke the target's session", call: ["DELETE", (t) => `/v1/auth/sessions/${t.sessionId}`],
    expect: { anonymous: 401, self: 204, "other customer": 404, moderator: 404, admin: 204 } },
  { operation: "me", call: ["GET", () => "/v1/auth/me"],
    expect: { anonymous: 401, self: 200, "other customer": 200, moderator: 200, admin: 200 } },
  { operation: "sessions", call: ["GET", () => "/v1/auth/sessions"],
    expect: { anonymous: 401, self: 200, "other customer": 200, moderator: 200, admin: 200 } },
  { operation: "logout", call: ["POST", () => "/v1/auth/logout"],
    expect: { anonymous: 401, self: 204, "other customer": 204, moderator: 204, admin: 204 } },
];

async function freshTarget(): Promise<Target & { token: string }> {
  const seeded = await seedUser();
  const tokens = await api.signIn(seeded.email, seeded.password);
  const sessions = await api.request("GET", "/v1/auth/sessions", { token: tokens.accessToken });
  return { userId: seeded.user.userId, password: seeded.password, token: tokens.accessToken, sessionId: sessions.body.items[0].sessionId };
}

async function tokenFor(who: Who, target: { token: string }): Promise<string | null> {
  switch (who) {
    case "anonymous":
      return null;
    case "self":
      return target.token;
    case "other customer":
      return (await api.signedInUser(["customer"])).token;
    case "moderator":
      return (await api.signedInUser(["moderator"])).token;
    case "admin":
      return (await api.signedInUser(["admin"])).token;
  }
}

describe("authorization matrix", () => {
  for (const row of matrix) {
    for (const who of Object.keys(row.expect) as Who[]) {
      const expected = row.expect[who];
      it(`${row.operation} as ${who} → ${expected}`, async () => {
        const target = await freshTarget();
        const [method, path, body] = row.call;
        const res = await api.request(method, path(target), { body: body?.(target), token: await tokenFor(who, target) });
        expect(res.status, JSON.stringify(res.body)).toBe(expected);
        if (expected === 401) expect(res.body.code).toBe("UNAUTHENTICATED");
        if (expected === 403) expect(res.body.code).toBe("FORBIDDEN");
      });
    }
  }
});

describe("escalation and staff limits", () => {
  it("a moderator cannot change the status of a moderator or an admin", async () => {
    const moderator = await api.signedInUser(["moderator"]);
    const otherModerator = await seedUser({ roles: ["moderator"] });
    const admin = await seedUser({ roles: ["admin"] });
    for (const target of [otherModerator, admin]) {
      const res = await api.request("PUT", `/v1/users/${target.user.userId}/status`, { body: { status: "suspended" }, token: moderator.token });
      expect(res.status).toBe(403);
    }
  });

  it("no one grants themself a role or changes their own status, admins included", async () => {
    const customer = await api.signedInUser();
    expect((await api.request("POST", `/v1/users/${customer.userId}/roles`, { body: { role: "admin" }, token: customer.token })).status).toBe(403);
    expect((await api.request("POST", `/v1/users/${api.adminId}/roles`, { body: { role: "moderator" } })).status).toBe(403);
    expect((await api.request("PUT", `/v1/users/${api.adminId}/status`, { body: { status: "pending" } })).status).toBe(403);
    const selfPatch = await api.request("PATCH", `/v1/users/${customer.userId}`, { body: { roles: ["admin"] }, token: customer.token });
    expect(selfPatch.status).toBe(400);
  });

  it("a missing target is 404 for those allowed to look, 403 for those who are not", async () => {
    const missing = "8b1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00";
    const customer = await api.signedInUser();
    expect((await api.request("GET", `/v1/users/${missing}`)).status).toBe(404);
    expect((await api.request("GET", `/v1/users/${missing}`, { token: customer.token })).status).toBe(403);
    expect((await api.request("DELETE", `/v1/auth/sessions/${missing}`)).status).toBe(404);
  });
});

describe("per-IP sign-in limit", () => {
  it("failures from one address across many emails get 429 past the limit", async () => {
    const { maxFailuresPerIp } = config();
    configure({ maxFailuresPerIp: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await api.request("POST", "/v1/auth/login", { body: { email: `spray${i}@example.com`, password: "guessing" }, token: null });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      configure({ maxFailuresPerIp });
    }
  });
});
