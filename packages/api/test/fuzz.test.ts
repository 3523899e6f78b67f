/**
 * Property: whatever a client sends (method, path, query, headers, body) to any REST route or tRPC
 * procedure, the answer is never a 5xx; every error carries the contract's body (REST) or code (tRPC)
 * and X-Request-Id; a REST answer is one the OpenAPI document declares (status, body, headers); and after
 * any 4xx the table is exactly as before. `npm test` runs a bounded number of cases (FUZZ_RUNS, default
 * 60); `npm run fuzz` runs many more (bench/fuzz.ts).
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "@users/core";
import { dynamo } from "@users/core";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { appRouter } from "../src/router.ts";
import { seedUser, useApiServer } from "./helpers/api-server.ts";
import { rawRequest } from "./helpers/raw-http.ts";

const api = useApiServer();
const RUNS = Number(process.env.FUZZ_RUNS || 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

type Procedure = { _def: { type: string; meta?: { openapi?: { method: string; path: string } } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
const restTemplates = procedures.flatMap(([, p]) => (p._def.meta?.openapi ? [p._def.meta.openapi] : []));

/** Side effects that a refused request is meant to leave: counting it (rate limits, failed sign-ins). */
const isBookkeeping = (item: Record<string, unknown>) =>
  String(item.pk).startsWith("$ratelimit#") ||
  item.__edb_e__ === "loginAttempts" ||
  (item.__edb_e__ === "audit" && String(item.type ?? "").startsWith("auth.login_failed"));

async function tableSnapshot(): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: config().tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(
    items
      .filter((item) => !isBookkeeping(item))
      .map((item) => JSON.stringify(item, Object.keys(item).sort()))
      .sort(),
  );
}

let customer = { userId: "", token: "" };
beforeAll(async () => {
  const seeded = await seedUser();
  const tokens = await api.signIn(seeded.email, seeded.password);
  customer = { userId: seeded.user.userId, token: tokens.accessToken };
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", " ", "null", "%", "%ZZ", "..", "a".repeat(300), "constructor", "__proto__", "toString"),
);
const ids = () => fc.oneof(fc.constant(customer.userId), fc.constant(api.adminId), fc.uuid(), text);

const arbitraryPath = fc.oneof(
  fc.constantFrom(...restTemplates).chain(({ path }) =>
    fc
      .tuple(...path.split("/").map((part) => (/^\{.+\}$/.test(part) ? ids().map(encodeURIComponent) : fc.constant(part))))
      .map((parts) => parts.join("/")),
  ),
  fc.constantFrom(...procedures.map(([name]) => name)).map((name) => `/trpc/${name}`),
  fc.array(fc.constantFrom(...procedures.map(([name]) => name)), { minLength: 1, maxLength: 12 }).map((names) => `/trpc/${names.join(",")}?batch=1`),
  fc.array(text.map(encodeURIComponent), { maxLength: 4 }).map((parts) => `/v1/${parts.join("/")}`),
  fc.constantFrom("/health", "/ready", "/openapi.json", "/.well-known/jwks.json", "/docs", "/nope", "/v1", "/trpc"),
);

const arbitraryQuery = fc.dictionary(
  fc.constantFrom("status", "limit", "cursor", "email", "createdAfter", "createdBefore", "input", "batch", "q", "x"),
  fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v))),
  { maxKeys: 3 },
);

const userFields = fc.dictionary(
  fc.constantFrom("email", "password", "firstName", "lastName", "username", "phoneNumber", "contacts", "metadata", "roles", "status", "role", "reason", "currentPassword", "newPassword", "userId", "expectedVersion", "idempotencyKey", "refreshToken", "__proto__", "constructor"),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 6 },
);
const arbitraryBody = fc.option(
  fc.oneof(
    userFields.map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 80 }),
    fc.constantFrom("{", "[1,2", '{"email":', "\u0000", '{"metadata":{"n":1e16}}', '{"metadata":{"constructor":"x"}}'),
  ),
  { nil: undefined },
);

const arbitraryHeaders = fc.record(
  {
    "content-type": fc.constantFrom("application/json", "Application/JSON; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/jsonx", ";", "multipart/form-data; boundary=x"),
    authorization: fc.oneof(
      fc.constant("admin"),
      fc.constant("customer"),
      fc.constantFrom("Bearer ", "Bearer x.y.z", "Basic abc", "Bearer eyJhbGciOiJub25lIn0.e30.", "bearer"),
    ),
    "if-match": fc.oneof(text, fc.constantFrom('"1"', "*", 'W/"2"', '"999999999999999999"')),
    "idempotency-key": text,
    "x-request-id": text,
    origin: fc.constantFrom("https://evil.example", "null"),
    "access-control-request-method": fc.constantFrom("GET", "PATCH", "FOO"),
  },
  { requiredKeys: [] },
);

const arbitraryRequest = fc.record({
  method: fc.oneof(fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"), fc.constantFrom("PROPFIND", "FOO", "get")),
  path: arbitraryPath,
  query: arbitraryQuery,
  headers: arbitraryHeaders,
  body: arbitraryBody,
});

/** Only bytes a client can put on the wire: header values without control characters. */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e]/g, "");

it("never answers a client's input with a 5xx, always with the contract's error, and a refused request changes nothing", async () => {
  let before = await tableSnapshot();
  await fc.assert(
    fc.asyncProperty(arbitraryRequest, async (request) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (name === "authorization") {
          headers[name] = value === "admin" ? `Bearer ${api.adminToken}` : value === "customer" ? `Bearer ${customer.token}` : value;
        } else if (value !== undefined) headers[name] = headerSafe(value);
      }
      const query = new URLSearchParams(request.query).toString();
      const path = `${request.path}${query ? (request.path.includes("?") ? "&" : "?") + query : ""}`;
      const method = request.method;
      // No body on GET or HEAD in any case: Node's client sends one there without Content-Length, so the
      // server reads it as the start of the next request on the connection (a client bug, not a case).
      const bodyless = /^(GET|HEAD)$/i.test(method);
      const res = await rawRequest(api.url(""), method, path, { headers, body: bodyless ? undefined : request.body });

      expect(res.status, `${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
      // The answer is one the OpenAPI document describes (REST paths of the document; others are not its business).
      expect(res.violations, res.text.slice(0, 300)).toEqual([]);
      const requestId = res.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      if (res.status >= 400 && method !== "HEAD") {
        if (path.startsWith("/trpc/") && res.body && !("code" in res.body && "requestId" in res.body)) {
          const errors = (Array.isArray(res.body) ? res.body : [res.body]).flatMap((r: any) => (r.error ? [r.error] : []));
          expect(errors.length, res.text).toBeGreaterThan(0);
          for (const error of errors) expect(typeof error.data.code, res.text).toBe("string");
        } else {
          expect(res.body, res.text).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId });
        }
      }
      const after = await tableSnapshot();
      if (res.status >= 400) expect(after, `${method} ${path} → ${res.status} changed the table`).toBe(before);
      before = after;
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
}, Math.max(120_000, RUNS * 500));
