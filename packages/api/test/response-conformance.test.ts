/**
 * The response checker every API test file runs (helpers/response-conformance.ts) catches what it is
 * for: an undeclared status, a body off its schema or format, a missing required header, a contract
 * header the document does not declare. Responses made up here, against the real document.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../src/openapi.ts";
import { checkResponsesOf } from "./helpers/checked-responses.ts";
import { rawRequest } from "./helpers/raw-http.ts";
import { responseConformance } from "./helpers/response-conformance.ts";

const conformance = responseConformance(structuredClone(openApiDocument()) as never);
const userId = "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00";
const user = {
  userId,
  email: "ada@example.com",
  username: null,
  firstName: "Ada",
  lastName: "Lovelace",
  phoneNumber: null,
  status: "active",
  roles: ["customer"],
  contacts: [],
  metadata: {},
  avatarUrl: null,
  version: 1,
  createdAt: "2026-11-22T10:15:30.123Z",
  updatedAt: "2026-11-22T10:15:30.123Z",
  lastLoginAt: null,
  emailVerified: false,
  mfaEnabled: false,
};
const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "x-request-id": "r1", ...headers } });
const error = (code: string) => ({ code, message: "m", requestId: "r1" });

describe("response conformance checker", () => {
  it("accepts a response the document describes", async () => {
    expect(await conformance.violationsOf("GET", `/v1/users/${userId}`, json(user, 200, { etag: '"1"' }))).toEqual([]);
    expect(await conformance.violationsOf("GET", `/v1/users/${userId}`, json(error("USER_NOT_FOUND"), 404))).toEqual([]);
    expect(await conformance.violationsOf("HEAD", `/v1/users/${userId}`, new Response(null, { status: 200, headers: { etag: '"1"', "x-request-id": "r" } }))).toEqual([]);
  });

  it("ignores paths and methods the document does not describe", async () => {
    expect(await conformance.violationsOf("GET", "/v1/nothing", json(error("NOT_FOUND"), 404))).toEqual([]);
    expect(await conformance.violationsOf("PATCH", "/v1/users", json(error("METHOD_NOT_ALLOWED"), 405))).toEqual([]);
  });

  it("reports an undeclared status, a wrong code, a body off its schema and a bad format", async () => {
    const [status] = await conformance.violationsOf("GET", "/v1/auth/sessions", json(error("NOT_FOUND"), 404));
    expect(status).toMatch(/status not declared/);
    const [code] = await conformance.violationsOf("GET", `/v1/users/${userId}`, json(error("EMAIL_TAKEN"), 404));
    expect(code).toMatch(/\/code must be equal to one of the allowed values/);
    const [shape] = await conformance.violationsOf("GET", `/v1/users/${userId}`, json({ ...user, password: "x" }, 200, { etag: '"1"' }));
    expect(shape).toMatch(/must NOT have additional properties/);
    const [format] = await conformance.violationsOf("GET", `/v1/users/${userId}`, json({ ...user, createdAt: "yesterday" }, 200, { etag: '"1"' }));
    expect(format).toMatch(/\/createdAt must match format "date-time"/);
  });

  it("reports a missing required header, and an undeclared contract header", async () => {
    expect(await conformance.violationsOf("GET", `/v1/users/${userId}`, json(user, 200))).toEqual([
      expect.stringMatching(/required header etag missing/),
    ]);
    expect(await conformance.violationsOf("POST", "/v1/auth/login", json(error("TOO_MANY_ATTEMPTS"), 429))).toEqual([
      expect.stringMatching(/required header retry-after missing/),
    ]);
    expect(await conformance.violationsOf("GET", "/v1/auth/sessions", json({ items: [] }, 200, { etag: '"1"' }))).toEqual([
      expect.stringMatching(/header etag sent but not declared/),
    ]);
  });
});

describe("checking a server's responses", () => {
  it("checks what fetch and rawRequest get from a checked server, and fails its finish on any violation", async () => {
    // A server that answers everything with an error body no operation declares for a 404 on sessions.
    const server = createServer((_, res) => {
      res.writeHead(404, { "content-type": "application/json", "x-request-id": "r1" }).end(JSON.stringify(error("NOT_FOUND")));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await rawRequest(base, "GET", "/v1/auth/sessions")).violations).toEqual([]);
      const check = checkResponsesOf(base);
      const raw = await rawRequest(base, "GET", "/v1/auth/sessions?x=1");
      expect(raw.violations).toEqual([expect.stringMatching(/GET \/v1\/auth\/sessions → 404: status not declared/)]);
      expect((await rawRequest(base, "GET", "/not-in-the-document")).violations).toEqual([]);
      expect((await fetch(`${base}/v1/auth/sessions`)).status).toBe(404);
      expect(() => check.finish()).toThrow(/REST responses of .* that break the OpenAPI document/);
      // Finished: no longer checked.
      expect((await rawRequest(base, "GET", "/v1/auth/sessions")).violations).toEqual([]);
    } finally {
      server.close();
    }
  });
});
