import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveLocally } from "../src/local/server.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";
import { checkResponsesOf } from "./helpers/checked-responses.ts";
import { rawRequest } from "./helpers/raw-http.ts";

const api = useApiServer();

function expectContractError(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ code, message: expect.any(String), requestId: res.headers.get("x-request-id") });
}

describe("methods and paths", () => {
  it("answers HEAD on a GET route as GET, without a body", async () => {
    for (const path of ["/v1/users", `/v1/users/${api.adminId}`, "/v1/auth/me", "/health", "/openapi.json", "/trpc/auth.me"]) {
      const get = await fetch(api.url(path), { headers: { authorization: `Bearer ${api.adminToken}` } });
      const head = await fetch(api.url(path), { method: "HEAD", headers: { authorization: `Bearer ${api.adminToken}` } });
      expect(head.status, path).toBe(get.status);
      expect(await head.text(), path).toBe("");
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(head.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("answers another method on a known path with 405 and Allow", async () => {
    const cases: [string, string, string][] = [
      ["TRACE", "/v1/users", "GET, HEAD, POST, OPTIONS"],
      ["PATCH", "/v1/users", "GET, HEAD, POST, OPTIONS"],
      ["POST", `/v1/users/${api.adminId}`, "GET, PATCH, PUT, DELETE, HEAD, OPTIONS"],
      ["DELETE", "/health", "GET, HEAD, OPTIONS"],
      ["PUT", "/trpc/users.create", "POST, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await rawRequest(api.url(""), method, path, { headers: { authorization: `Bearer ${api.adminToken}` } });
      expectContractError(res, 405, "METHOD_NOT_ALLOWED");
      expect(new Set(res.headers.get("allow")!.split(", ")), `${method} ${path}`).toEqual(new Set(allow.split(", ")));
    }
  });

  it("answers a method Node cannot parse with 400 and the contract body, also on a reused connection", async () => {
    for (let i = 0; i < 2; i++) {
      expect((await rawRequest(api.url(""), "GET", "/health")).status).toBe(200);
      const res = await rawRequest(api.url(""), "FOO", "/v1/users");
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", requestId: res.headers.get("x-request-id") });
    }
  });

  it("answers an unknown path with 404 NOT_FOUND", async () => {
    for (const path of ["/v2/users", "/v1/nothing", "/v1/users/a/b/c/d", "/favicon.ico"]) {
      expectContractError(await api.request("GET", path), 404, "NOT_FOUND");
      expectContractError(await rawRequest(api.url(""), "TRACE", path), 404, "NOT_FOUND");
    }
  });
});

describe("media types", () => {
  it("matches JSON case-insensitively, with parameters", async () => {
    for (const contentType of ["Application/JSON", "application/json; charset=utf-8", "APPLICATION/JSON;Charset=UTF-8"]) {
      const res = await api.request("POST", "/v1/users", {
        body: newUserBody(),
        headers: { "content-type": contentType },
        token: null,
      });
      expect(res.status, contentType).toBe(201);
    }
    const trpc = await fetch(api.url("/trpc/users.create"), {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
      body: JSON.stringify(newUserBody()),
    });
    expect(trpc.status).toBe(200);
  });

  it("still refuses a body that is not JSON", async () => {
    const res = await fetch(api.url("/v1/users"), { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(res.status).toBe(415);
  });
});

describe("response headers", () => {
  it("sends nosniff on every response and no-store on responses with tokens or user data", async () => {
    const user = newUserBody();
    const created = await api.request("POST", "/v1/users", { body: user, token: null });
    const login = await api.request("POST", "/v1/auth/login", { body: { email: user.email, password: user.password }, token: null });
    const trpcLogin = await fetch(api.url("/trpc/auth.login"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    for (const res of [created, login, await api.request("GET", "/v1/users"), await api.request("GET", "/nope"), trpcLogin]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    const jwks = await fetch(api.url("/.well-known/jwks.json"));
    expect(jwks.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("forbids framing /docs and /admin", async () => {
    for (const path of ["/docs", "/admin/"]) {
      const res = await fetch(api.url(path));
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("answers headers over 16 KiB with 431, the contract body and X-Request-Id", async () => {
    const { port } = new URL(api.url("/")) as URL;
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/health", headers: { "x-big": "a".repeat(20_000) } }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    const body = JSON.parse(answer.body);
    expect(body).toMatchObject({ code: "PAYLOAD_TOO_LARGE", message: expect.any(String) });
    expect(body.requestId).toBe(answer.headers["x-request-id"]);
  });
});

describe("CORS", () => {
  const allowed = "https://console.example.com";
  let base = "";
  let close = async () => {};
  let check: ReturnType<typeof checkResponsesOf> | undefined;
  beforeAll(async () => {
    const server = await serveLocally(0, "127.0.0.1", { corsOrigins: [allowed] });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    check = checkResponsesOf(base);
  });
  afterAll(async () => {
    await close();
    check?.finish();
  });

  it("answers a preflight from an allowed origin with 204, methods and headers", async () => {
    const res = await fetch(`${base}/v1/users`, {
      method: "OPTIONS",
      headers: { origin: allowed, "access-control-request-method": "PATCH", "access-control-request-headers": "authorization, if-match" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-match");
    const get = await fetch(`${base}/health`, { headers: { origin: allowed } });
    expect(get.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(get.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
  });

  it("gives no CORS headers to any other origin, nor by default", async () => {
    for (const url of [`${base}/v1/users`, api.url("/v1/users")]) {
      const res = await fetch(url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-methods")).toBeNull();
      const get = await fetch(url.replace("/v1/users", "/health"), { headers: { origin: "https://evil.example" } });
      expect(get.headers.get("access-control-allow-origin")).toBeNull();
    }
    const fromConsole = await fetch(api.url("/health"), { headers: { origin: allowed } });
    expect(fromConsole.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("tRPC batches", () => {
  it("refuses a batch of more than 10 calls with 400 BATCH_TOO_LARGE and does nothing", async () => {
    const bodies = Array.from({ length: 11 }, () => newUserBody());
    const input = Object.fromEntries(bodies.map((body, i) => [String(i), body]));
    const res = await fetch(api.url(`/trpc/${Array(11).fill("users.create").join(",")}?batch=1`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain("BATCH_TOO_LARGE");
    for (const body of bodies.slice(0, 3)) {
      const found = await api.request("GET", `/v1/users?email=${encodeURIComponent(body.email)}`);
      expect(found.body.items).toHaveLength(0);
    }
    const ten = await fetch(api.url(`/trpc/${Array(10).fill("auth.me").join(",")}?batch=1`), {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(ten.status).toBe(200);
  });
});
