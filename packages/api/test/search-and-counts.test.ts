import { createTRPCClient, httpLink } from "@trpc/client";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/index.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

// DynamoDB Local serializes transactions on the shared counter shards with lock waits (real DynamoDB
// answers a conflict at once), so 50 concurrent writers can outlast the 8 s request deadline here; these
// tests are about exact counts under concurrency, and store-stall.test.ts covers the deadline.
const api = useApiServer({ app: { deadlineMs: 60_000 } });

type Listed = { userId: string; firstName: string; lastName: string; status: string };

const search = (query: string) => api.request("GET", `/v1/users?${query}`);
const ids = (res: { body: { items: Listed[] } }) => res.body.items.map((u) => u.userId).sort();

async function create(overrides: Record<string, unknown>) {
  const res = await api.request("POST", "/v1/users", { body: newUserBody(overrides) });
  expect(res.status).toBe(201);
  return res.body as Listed & { email: string };
}

/** Every page of a search, following nextCursor to its end. */
async function searchAll(query: string, limit: number): Promise<Listed[][]> {
  const pages: Listed[][] = [];
  let cursor: string | null = null;
  do {
    const res = await search(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status).toBe(200);
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

const stats = async () => {
  const res = await api.request("GET", "/v1/users/stats");
  expect(res.status).toBe(200);
  return res.body as { total: number; byStatus: Record<"active" | "suspended" | "pending" | "deleted", number>; byRole: Record<"customer" | "moderator" | "admin", number> };
};

describe("GET /v1/users?q=", () => {
  let zoe: Listed, angstrom: Listed, ada: Listed, augusta: Listed;
  beforeAll(async () => {
    zoe = await create({ firstName: "Zoë", lastName: "Quibbleworth" });
    angstrom = await create({ firstName: "Anders", lastName: "Ångström" });
    ada = await create({ email: "adelheid.kingsley-lovecraftia+x@example.com", username: "countess_adelheid", firstName: "Adelheid", lastName: "Lovecraftia" });
    augusta = await create({ firstName: "Augustina Adelheid", lastName: "Byronesque" });
  });

  it("matches word starts, case- and accent-insensitively", async () => {
    expect(ids(await search("q=zoe"))).toEqual([zoe.userId]);
    expect(ids(await search("q=ZOË"))).toEqual([zoe.userId]);
    expect(ids(await search("q=ang"))).toEqual([angstrom.userId]);
    expect(ids(await search("q=quibble"))).toEqual([zoe.userId]);
    expect(ids(await search("q=uibble"))).toEqual([]);
  });

  it("matches the email's local-part words, the whole address and the username", async () => {
    expect(ids(await search("q=kingsley"))).toEqual([ada.userId]);
    expect(ids(await search("q=lovecr"))).toEqual([ada.userId]);
    expect(ids(await search(`q=${encodeURIComponent("adelheid.kingsley-lovecraftia+x@exa")}`))).toEqual([ada.userId]);
    expect(ids(await search("q=countess"))).toEqual([ada.userId]);
    expect(ids(await search("q=example"))).toEqual([]);
  });

  it("needs every word to match, and lists a user with several matching words once", async () => {
    expect(ids(await search("q=adelh")).sort()).toEqual([ada.userId, augusta.userId].sort());
    expect(ids(await search(`q=${encodeURIComponent("adelheid lovec")}`))).toEqual([ada.userId]);
    expect(ids(await search(`q=${encodeURIComponent("byron  ADEL")}`))).toEqual([augusta.userId]);
    expect(ids(await search(`q=${encodeURIComponent("adelheid zz")}`))).toEqual([]);
  });

  it("is searchable as soon as a write answers, and the old value no longer matches", async () => {
    const user = await create({ firstName: "Wilhelmina", lastName: "Oldname" });
    expect(ids(await search("q=oldna"))).toEqual([user.userId]);
    await api.request("PATCH", `/v1/users/${user.userId}`, { body: { lastName: "Newname", email: "mina.fresh@example.com" } });
    expect(ids(await search("q=oldna"))).toEqual([]);
    expect(ids(await search("q=newna"))).toEqual([user.userId]);
    expect(ids(await search("q=fresh"))).toEqual([user.userId]);
    expect(ids(await search(`q=${encodeURIComponent(user.email.split("@")[0]!.split(".")[1]!)}`))).toEqual([]);
    await api.request("PUT", `/v1/users/${user.userId}`, { body: { email: "mina.fresh@example.com", firstName: "Wil", lastName: "Replaced" } });
    expect(ids(await search("q=newna"))).toEqual([]);
    expect(ids(await search("q=replac"))).toEqual([user.userId]);
  });

  it("combines with status: deleted users only with status=deleted", async () => {
    const gone = await create({ firstName: "Vanishing", lastName: "Act" });
    const held = await create({ firstName: "Vanishing", lastName: "Held" });
    await api.request("PUT", `/v1/users/${held.userId}/status`, { body: { status: "suspended" } });
    await api.request("DELETE", `/v1/users/${gone.userId}`);
    expect(ids(await search("q=vanish"))).toEqual([held.userId]);
    expect(ids(await search("q=vanish&status=suspended"))).toEqual([held.userId]);
    expect(ids(await search("q=vanish&status=active"))).toEqual([]);
    expect(ids(await search("q=vanish&status=deleted"))).toEqual([gone.userId]);
  });

  it("pages without repeats or gaps, ordered by matching word then newest first", async () => {
    const made: Listed[] = [];
    for (let i = 0; i < 13; i++) made.push(await create({ firstName: i % 2 ? "Pagella" : "Pagan", lastName: `Pager${i}` }));
    const pages = await searchAll("q=paga", 4);
    expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
    const seen = pages.flat().map((u) => u.userId);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual(made.filter((_, i) => i % 2 === 0).reverse().map((u) => u.userId));
    const all = (await searchAll("q=pag", 3)).flat();
    expect(new Set(all.map((u) => u.userId)).size).toBe(all.length);
    expect(all.map((u) => u.userId).sort()).toEqual(made.map((u) => u.userId).sort());
    // "pagan" sorts before "pagella": all the Pagans come first.
    expect(all.slice(0, 7).every((u) => u.firstName === "Pagan")).toBe(true);
  }, 180_000);

  it("refuses bad input and foreign cursors, and total is null", async () => {
    expect((await search(`q=${"a".repeat(101)}`)).status).toBe(400);
    expect((await search("q=%20%20")).body.code).toBe("VALIDATION_FAILED");
    const first = await search("q=pag&limit=2");
    expect(first.body.total).toBeNull();
    const foreign = await search(`q=paga&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe("INVALID_CURSOR");
  });

  it("is for moderators and admins only", async () => {
    const customer = await api.signedInUser(["customer"]);
    const moderator = await api.signedInUser(["moderator"]);
    expect((await api.request("GET", "/v1/users?q=zoe", { token: customer.token })).status).toBe(403);
    expect((await api.request("GET", "/v1/users?q=zoe", { token: null })).status).toBe(401);
    const res = await api.request("GET", "/v1/users?q=zoe", { token: moderator.token });
    expect(ids(res)).toEqual([zoe.userId]);
  });

  it("works through the tRPC client", async () => {
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: api.url("/trpc"), headers: () => ({ authorization: `Bearer ${api.adminToken}` }) })],
    });
    const page = await trpc.users.list.query({ q: "ångs" });
    expect(page.items.map((u) => u.userId)).toEqual([angstrom.userId]);
    expect(page.total).toBeNull();
    const counts = await trpc.users.stats.query();
    expect(counts.byStatus.active).toBeGreaterThan(0);
  });
});

describe("counts", () => {
  it("list totals and stats are exact, by status and by role; lists read every shard", async () => {
    const before = await stats();
    const a = await create({});
    const b = await create({});
    await api.request("POST", `/v1/users/${b.userId}/roles`, { body: { role: "moderator" } });
    await api.request("PUT", `/v1/users/${a.userId}/status`, { body: { status: "pending" } });
    const after = await stats();
    expect(after.total).toBe(before.total + 2);
    expect(after.byStatus.pending).toBe(before.byStatus.pending + 1);
    expect(after.byStatus.active).toBe(before.byStatus.active + 1);
    expect(after.byRole.moderator).toBe(before.byRole.moderator + 1);
    expect(after.byRole.customer).toBe(before.byRole.customer + 2);
    await api.request("DELETE", `/v1/users/${b.userId}`);
    const last = await stats();
    expect(last.byStatus.deleted).toBe(after.byStatus.deleted + 1);
    expect(last.byRole.moderator).toBe(before.byRole.moderator);
    expect(last.total).toBe(before.total + 1);

    for (const status of ["active", "suspended", "pending", "deleted"] as const) {
      const listed = (await searchAll(`status=${status}`, 100)).flat().length;
      const res = await search(`status=${status}&limit=1`);
      expect(res.body.total).toBe(last.byStatus[status]);
      expect(listed).toBe(last.byStatus[status]);
    }
    const all = await search("limit=1");
    expect(all.body.total).toBe(last.total);
    expect((await searchAll("", 100)).flat()).toHaveLength(last.total);
    expect((await search("limit=1&createdAfter=2020-01-01T00:00:00.000Z")).body.total).toBeNull();
  });

  it("stay exact under 50 concurrent creates and deletes", async () => {
    const doomed = await Promise.all(Array.from({ length: 25 }, () => create({})));
    const before = await stats();
    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => api.request("POST", "/v1/users", { body: newUserBody() })),
      ...doomed.map((u) => api.request("DELETE", `/v1/users/${u.userId}`)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(25).fill(201), ...Array(25).fill(204)].sort());
    const after = await stats();
    expect(after.total).toBe(before.total);
    expect(after.byStatus.active).toBe(before.byStatus.active);
    expect(after.byStatus.deleted).toBe(before.byStatus.deleted + 25);
    expect(after.byRole.customer).toBe(before.byRole.customer);
    expect((await search("limit=1")).body.total).toBe(after.total);
    expect((await searchAll("", 100)).flat()).toHaveLength(after.total);
  }, 180_000);

  it("stats are for moderators and admins only", async () => {
    const customer = await api.signedInUser(["customer"]);
    expect((await api.request("GET", "/v1/users/stats", { token: customer.token })).status).toBe(403);
    expect((await api.request("GET", "/v1/users/stats", { token: null })).status).toBe(401);
  });
});

describe("a user's sessions", () => {
  it("the user and an admin see them; others may not", async () => {
    const user = await api.signedInUser(["customer"]);
    await api.signIn(user.email, user.password, { "user-agent": "second-device" });
    const own = await api.request("GET", `/v1/users/${user.userId}/sessions`, { token: user.token });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(2);
    expect(own.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const asAdmin = await api.request("GET", `/v1/users/${user.userId}/sessions`);
    expect(asAdmin.body.items).toHaveLength(2);
    const other = await api.signedInUser(["moderator"]);
    expect((await api.request("GET", `/v1/users/${user.userId}/sessions`, { token: other.token })).status).toBe(403);
    expect((await api.request("DELETE", `/v1/users/${user.userId}/sessions`, { token: other.token })).status).toBe(403);
    expect((await api.request("GET", `/v1/users/${crypto.randomUUID()}/sessions`)).status).toBe(404);
  });

  it("DELETE ends every session at once, with auth.sessions_revoked", async () => {
    const user = await api.signedInUser(["customer"]);
    const second = await api.signIn(user.email, user.password);
    const res = await api.request("DELETE", `/v1/users/${user.userId}/sessions`, { token: user.token });
    expect(res.status).toBe(204);
    expect((await api.request("GET", "/v1/auth/me", { token: user.token })).status).toBe(401);
    expect((await api.request("GET", "/v1/auth/me", { token: second.accessToken })).status).toBe(401);
    const refreshed = await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: second.refreshToken }, token: null });
    expect(refreshed.body.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await api.request("GET", `/v1/users/${user.userId}/sessions`)).body.items).toEqual([]);
    const audit = await api.request("GET", `/v1/users/${user.userId}/audit`);
    expect(audit.body.items[0]).toMatchObject({ type: "auth.sessions_revoked", changes: { sessions: { from: 2, to: 0 } } });
    // Signing in again works.
    const again = await api.signIn(user.email, user.password);
    expect((await api.request("GET", "/v1/auth/me", { token: again.accessToken })).status).toBe(200);
  });

  it("a suspension ends the sessions: after reactivation old tokens stay invalid", async () => {
    const user = await api.signedInUser(["customer"]);
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "suspended" } });
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "active" } });
    expect((await api.request("GET", "/v1/auth/me", { token: user.token })).status).toBe(401);
    const refreshed = await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: user.refreshToken }, token: null });
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.code).toBe("INVALID_REFRESH_TOKEN");
  });
});
