import type { AddressInfo } from "node:net";
import { Clients, RateLimit, withContext } from "@users/core";
import { afterAll, describe, expect, it } from "vitest";
import type { AppOptions } from "../src/app.ts";
import { serveLocally } from "../src/local/server.ts";
import { newUserBody, seedUser } from "./helpers/api-server.ts";
import { checkResponsesOf } from "./helpers/checked-responses.ts";
import { rawRequest } from "./helpers/raw-http.ts";

const servers: { close(): void }[] = [];
const checks: ReturnType<typeof checkResponsesOf>[] = [];
afterAll(() => {
  servers.forEach((server) => server.close());
  checks.forEach((check) => check.finish());
});

/**
 * The limiters' clock, stopped: windows are aligned to the clock (a minute, an hour), so a test that
 * ran across 11:00:00 would rightly see a fresh budget after it. Each test uses callers of its own.
 */
const now = Date.now();

/**
 * A server with its own limits and its own limiter (an API instance), for callers from `ip`. Its answers
 * are checked against the OpenAPI document (the committed one: fetching /openapi.json would count).
 */
async function instance(ip: string, rateLimits: AppOptions["rateLimits"]) {
  const rateLimiter = new RateLimit.RateLimiter({ now: () => now });
  const server = await serveLocally(0, "127.0.0.1", { rateLimits, rateLimiter, clientIp: () => ip });
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checks.push(checkResponsesOf(base));
  return base;
}

const off = { ipPerMinute: 0, userReadsPerHour: 0, userWritesPerHour: 0 };

function expectLimited(res: Awaited<ReturnType<typeof rawRequest>>) {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toMatchObject({ code: "RATE_LIMITED", requestId: res.headers.get("x-request-id") });
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
  expect(res.headers.get("ratelimit-remaining")).toBe("0");
}

async function signIn(base: string) {
  const seeded = await seedUser();
  const login = await rawRequest(base, "POST", "/v1/auth/login", {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: seeded.email, password: seeded.password }),
  });
  expect(login.status).toBe(200);
  return { userId: seeded.user.userId, auth: { authorization: `Bearer ${login.body.accessToken}` } };
}

describe("rate limits", () => {
  it("limits requests per source IP, with RateLimit headers on every limited response", async () => {
    const base = await instance("203.0.113.1", { ...off, ipPerMinute: 5 });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await rawRequest(base, "GET", i % 2 ? "/health" : "/v1/users"));
    answers.slice(0, 5).forEach((res, i) => {
      expect(res.status).not.toBe(429);
      expect(res.headers.get("ratelimit-limit")).toBe("5");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(4 - i));
      expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    });
    expectLimited(answers[5]!);
    expectLimited(answers[6]!);
    // Another IP is not affected.
    const other = await instance("203.0.113.2", { ...off, ipPerMinute: 5 });
    expect((await rawRequest(other, "GET", "/health")).status).toBe(200);
  });

  it("counts each call of a tRPC batch", async () => {
    const base = await instance("203.0.113.3", { ...off, ipPerMinute: 4 });
    const res = await rawRequest(base, "GET", `/trpc/${Array(6).fill("auth.me").join(",")}?batch=1`);
    const codes = (res.body as { error: { data: { code: string } } }[]).map((r) => r.error.data.code);
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED", "RATE_LIMITED"]);
    expect(res.headers.get("ratelimit-limit")).toBe("4");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expectLimited(await rawRequest(base, "GET", "/health"));
  });

  it("limits a signed-in user's writes and reads separately; a refused write changes nothing", async () => {
    const base = await instance("203.0.113.4", { ...off, userReadsPerHour: 3, userWritesPerHour: 2 });
    const { userId, auth } = await signIn(base);
    const patch = (firstName: string) =>
      rawRequest(base, "PATCH", `/v1/users/${userId}`, {
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ firstName }),
      });
    expect((await patch("One")).status).toBe(200);
    const second = await patch("Two");
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-limit")).toBe("2");
    expectLimited(await patch("Three"));

    const reads = [];
    for (let i = 0; i < 4; i++) reads.push(await rawRequest(base, "GET", `/v1/users/${userId}`, { headers: auth }));
    expect(reads.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(reads[2]!.body.firstName).toBe("Two");
    expect(reads[2]!.body.version).toBe(second.body.version);
    expectLimited(reads[3]!);
  });

  it("limits each machine client by its client id, apart from other clients and users", async () => {
    const base = await instance("203.0.113.7", { ...off, userReadsPerHour: 3, userWritesPerHour: 1 });
    const clientToken = async () => {
      const client = await withContext({ actor: { kind: "system", name: "test-seed" } }, () =>
        Clients.create({ name: "billing-sync", scopes: ["users:read", "users:write"] }),
      );
      const token = await rawRequest(base, "POST", "/v1/oauth/token", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }).toString(),
      });
      expect(token.status, token.text).toBe(200);
      return { authorization: `Bearer ${token.body.access_token}` };
    };
    const [billing, crm] = [await clientToken(), await clientToken()];
    const list = (headers: Record<string, string>) => rawRequest(base, "GET", "/v1/users?limit=1", { headers });
    const create = (headers: Record<string, string>, body = newUserBody()) =>
      rawRequest(base, "POST", "/v1/users", { headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });

    const reads = [];
    for (let i = 0; i < 4; i++) reads.push(await list(billing));
    reads.slice(0, 3).forEach((res, i) => {
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(2 - i));
      expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    });
    expectLimited(reads[3]!);
    expect(reads[3]!.headers.get("ratelimit-limit")).toBe("3");
    expect(Number(reads[3]!.headers.get("ratelimit-reset"))).toBeGreaterThan(0);

    // Its writes have their own budget; a refused write creates no one.
    const created = await create(billing);
    expect(created.status, created.text).toBe(201);
    const refusedBody = newUserBody();
    expectLimited(await create(billing, refusedBody));

    // Another client and a signed-in user still have their whole budgets.
    const other = await list(crm);
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-remaining")).toBe("2");
    const search = await rawRequest(base, "GET", `/v1/users?email=${encodeURIComponent(refusedBody.email)}`, { headers: crm });
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
    expect((await create(crm)).status).toBe(201);
    const { userId, auth } = await signIn(base);
    const own = await rawRequest(base, "GET", `/v1/users/${userId}`, { headers: auth });
    expect(own.status).toBe(200);
    expect(own.headers.get("ratelimit-remaining")).toBe("2");
  });

  it("holds across instances: at least the limit and at most 10% over", async () => {
    const limit = 20;
    const bases = await Promise.all([1, 2, 3].map(() => instance("203.0.113.5", { ...off, ipPerMinute: limit })));
    const answers = await Promise.all(
      bases.map(async (base) => {
        const statuses = [];
        for (let i = 0; i < 12; i++) statuses.push((await rawRequest(base, "GET", "/health")).status);
        return statuses;
      }),
    );
    const admitted = answers.flat().filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit * 1.1);
  });

  it("is off at 0: no headers, no refusals", async () => {
    const base = await instance("203.0.113.6", off);
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(base, "POST", "/v1/users", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify(newUserBody()),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
    }
  });
});
