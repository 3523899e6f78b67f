/**
 * tRPC errors carry the request id even when they happen before a procedure's context exists (the
 * request cannot be read as a call), and OPTIONS on /trpc is answered as on the REST routes.
 */
import { describe, expect, it } from "vitest";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer({ as: "anonymous" });

type TrpcError = { error: { data: { code: string; requestId: string | null } } };

describe("tRPC errors", () => {
  it("carry the request id when the call cannot be read", async () => {
    const cases: [string, string, RequestInit][] = [
      ["query sent as a mutation", "/trpc/users.list", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
      ["body that is not JSON", "/trpc/auth.login", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" }],
      ["malformed JSON", "/trpc/auth.login", { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" }],
      ["unknown procedure", "/trpc/nothing.here", { method: "GET" }],
    ];
    for (const [name, path, init] of cases) {
      const res = await fetch(api.url(path), { ...init, headers: { ...init.headers, "x-request-id": `req-${name.length}` } });
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      const body = (await res.json()) as TrpcError;
      expect(body.error.data.requestId, name).toBe(`req-${name.length}`);
      expect(res.headers.get("x-request-id"), name).toBe(`req-${name.length}`);
    }
  });

  it("name a query sent as a mutation METHOD_NOT_ALLOWED (405)", async () => {
    const res = await fetch(api.url("/trpc/users.list"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(405);
    expect(((await res.json()) as TrpcError).error.data.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("answer OPTIONS on /trpc as on the REST routes", async () => {
    const rest = await fetch(api.url("/v1/users"), { method: "OPTIONS" });
    const trpc = await fetch(api.url("/trpc/users.list"), { method: "OPTIONS" });
    expect(trpc.status).toBe(rest.status);
    expect(trpc.headers.get("content-type")).toBe(rest.headers.get("content-type"));
    const [restBody, trpcBody] = [await rest.text(), await trpc.text()];
    expect(trpcBody.replace(/"requestId":"[^"]*"/, "")).toBe(restBody.replace(/"requestId":"[^"]*"/, ""));
    expect(trpc.status).toBeLessThan(500);
  });
});
