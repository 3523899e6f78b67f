import { describe, expect, it, vi } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

// DynamoDB Local makes concurrent transactions on the shared counter shards wait for locks (real DynamoDB
// answers a conflict at once), so 50 concurrent writers can outlast the 8 s request deadline here; these
// tests are about who wins a race, and store-stall.test.ts covers the deadline.
const api = useApiServer({ app: { deadlineMs: 60_000 } });
// Tens of concurrent transactions queue on DynamoDB Local's locks: on a loaded CI machine a race takes
// well over the default 30 s to settle.
vi.setConfig({ testTimeout: 180_000 });

/** How many answers of each kind ("409 EMAIL_TAKEN"), so a failure shows what came back instead. */
const answers = (results: { status: number; body: { code?: string } }[]) => {
  const tally: Record<string, number> = {};
  for (const r of results) {
    const kind = r.status < 300 ? String(r.status) : `${r.status} ${r.body.code}`;
    tally[kind] = (tally[kind] ?? 0) + 1;
  }
  return tally;
};
/** The bodies of the answers a race should never give (a 400 or a 5xx), for the failure message. */
const unexpected = (results: { status: number; body: unknown }[]) =>
  JSON.stringify(results.filter((r) => r.status === 400 || r.status >= 500).map((r) => r.body));

describe("under concurrency", () => {
  it("50 concurrent sign-ups with one email make exactly one user", async () => {
    const email = newUserBody().email;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.request("POST", "/v1/users", { body: newUserBody({ email: i % 2 ? email : email.toUpperCase() }) }),
      ),
    );
    expect(answers(results), unexpected(results)).toEqual({ "201": 1, "409 EMAIL_TAKEN": 49 });
    const listed = await api.request("GET", `/v1/users?email=${encodeURIComponent(email)}`);
    expect(listed.body.items).toHaveLength(1);
  });

  it("20 concurrent changes of one email to one username: one wins", async () => {
    // The users first, one at a time: the race under test is the PATCH. (Made concurrently, a create can
    // answer 503 on a loaded DynamoDB Local, and its PATCH then went to /v1/users/undefined: a 400.)
    const users = [];
    for (let i = 0; i < 20; i++) {
      const created = await api.request("POST", "/v1/users", { body: newUserBody() });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      users.push(created);
    }
    const results = await Promise.all(
      users.map((u) => api.request("PATCH", `/v1/users/${u.body.userId}`, { body: { username: "the.one" } })),
    );
    expect(answers(results), unexpected(results)).toEqual({ "200": 1, "409 USERNAME_TAKEN": 19 });
  });

  it("concurrent writes with the same If-Match: exactly one applies, the rest get 412", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const id = created.body.userId;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.request("PATCH", `/v1/users/${id}`, { body: { firstName: `Name${i}` }, headers: { "if-match": '"1"' } }),
      ),
    );
    expect(answers(results), unexpected(results)).toEqual({ "200": 1, "412 VERSION_MISMATCH": 19 });
    const after = await api.request("GET", `/v1/users/${id}`);
    expect(after.body.version).toBe(2);
    const audit = await api.request("GET", `/v1/users/${id}/audit`);
    expect(audit.body.items).toHaveLength(2);
  });

  it("concurrent writes without If-Match all apply, one version each, none lost", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const id = created.body.userId;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.request("PATCH", `/v1/users/${id}`, { body: { metadata: { [`k${i}`]: i } } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.version)).size).toBe(10);
    const after = await api.request("GET", `/v1/users/${id}`);
    expect(after.body.version).toBe(11);
    const audit = await api.request("GET", `/v1/users/${id}/audit?limit=100`);
    expect(audit.body.items).toHaveLength(11);
  });

  it("two admins suspending each other at once cannot leave no active admin", async () => {
    // The file's seeded admin and one more are the only admins in this table.
    const other = await api.signedInUser(["admin"]);
    const results = await Promise.all([
      api.request("PUT", `/v1/users/${other.userId}/status`, { body: { status: "suspended" } }),
      api.request("PUT", `/v1/users/${api.adminId}/status`, { body: { status: "suspended" }, token: other.token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe("LAST_ADMIN");
    // Whoever was not suspended is still an admin and can still list.
    const survivorToken = results[0]!.status === 200 ? api.adminToken : other.token;
    const active = await api.request("GET", "/v1/users?status=active&limit=100", { token: survivorToken });
    expect(active.body.items.filter((u: { roles: string[] }) => u.roles.includes("admin"))).toHaveLength(1);
  });
});
