import { createTRPCClient, httpLink } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../src/index.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();
const key = () => `key-${Math.random().toString(36).slice(2)}`;

describe("Idempotency-Key", () => {
  it("a retried create returns the first response and makes one user", async () => {
    const body = newUserBody();
    const headers = { "idempotency-key": key() };
    const first = await api.request("POST", "/v1/users", { body, headers, token: null });
    const again = await api.request("POST", "/v1/users", { body, headers, token: null });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    const listed = await api.request("GET", `/v1/users?email=${encodeURIComponent(body.email)}`);
    expect(listed.body.items).toHaveLength(1);
  });

  it("concurrent retries of one create with one key make one user", async () => {
    const body = newUserBody();
    const headers = { "idempotency-key": key() };
    const results = await Promise.all(Array.from({ length: 10 }, () => api.request("POST", "/v1/users", { body, headers, token: null })));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.userId)).size).toBe(1);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect([r.status, r.body.code]).toEqual([409, "IDEMPOTENCY_IN_PROGRESS"]);
    }
    const listed = await api.request("GET", `/v1/users?email=${encodeURIComponent(body.email)}`);
    expect(listed.body.items).toHaveLength(1);
  });

  it("the same key with a different body is 422 and changes nothing", async () => {
    const headers = { "idempotency-key": key() };
    const first = await api.request("POST", "/v1/users", { body: newUserBody(), headers });
    const other = newUserBody();
    const reused = await api.request("POST", "/v1/users", { body: other, headers });
    expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    expect(first.status).toBe(201);
    expect((await api.request("GET", `/v1/users?email=${encodeURIComponent(other.email)}`)).body.items).toHaveLength(0);
  });

  it("replays a client error as it was, and a retried delete as 204", async () => {
    const taken = await api.request("POST", "/v1/users", { body: newUserBody() });
    const headers = { "idempotency-key": key() };
    const body = newUserBody({ email: taken.body.email });
    const first = await api.request("POST", "/v1/users", { body, headers });
    expect(first.body.code).toBe("EMAIL_TAKEN");
    const again = await api.request("POST", "/v1/users", { body, headers });
    expect([again.status, again.body.code]).toEqual([409, "EMAIL_TAKEN"]);

    const deleteHeaders = { "idempotency-key": key() };
    expect((await api.request("DELETE", `/v1/users/${taken.body.userId}`, { headers: deleteHeaders })).status).toBe(204);
    expect((await api.request("DELETE", `/v1/users/${taken.body.userId}`, { headers: deleteHeaders })).status).toBe(204);
    expect((await api.request("DELETE", `/v1/users/${taken.body.userId}`)).status).toBe(404);
  });

  it("keys belong to their caller: the same key from someone else is a new request", async () => {
    const shared = key();
    const a = await api.request("POST", "/v1/users", { body: newUserBody(), headers: { "idempotency-key": shared } });
    const other = await api.signedInUser();
    const b = await api.request("PATCH", `/v1/users/${other.userId}`, {
      body: { firstName: "Mine" },
      headers: { "idempotency-key": shared },
      token: other.token,
    });
    expect([a.status, b.status]).toEqual([201, 200]);
  });

  it("refuses a key that is too long", async () => {
    const res = await api.request("POST", "/v1/users", { body: newUserBody(), headers: { "idempotency-key": "k".repeat(256) } });
    expect([res.status, res.body.code]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("tRPC mutations take idempotencyKey: a retried update applies once", async () => {
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: api.url("/trpc"), headers: () => ({ authorization: `Bearer ${api.adminToken}` }) })],
    });
    const user = await trpc.users.create.mutate(newUserBody());
    const idempotencyKey = key();
    const one = await trpc.users.update.mutate({ userId: user.userId, metadata: { n: 1 }, idempotencyKey });
    const two = await trpc.users.update.mutate({ userId: user.userId, metadata: { n: 1 }, idempotencyKey });
    expect(one.version).toBe(2);
    expect(two).toEqual(one);
    expect((await trpc.users.get.query({ userId: user.userId })).version).toBe(2);
  });
});
