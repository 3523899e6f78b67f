import { config } from "@users/core";
/**
 * The API's Lambda entry point bundled as SST would deploy it, loaded in a fresh Node process with
 * nothing but the bundle and its `install` packages and SST's encrypted link file, and called with
 * API Gateway v2 events against DynamoDB Local (this test file's table). Prints the bundle size.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlers } from "../handlers.ts";
import { Access } from "../../packages/core/src/index.ts";
import { bundleFunction, type BuiltFunction } from "./helpers/bundle-function.ts";
import { kib, runBundle } from "./helpers/run-bundle.ts";
import { writeSstLinks } from "./helpers/sst-links.ts";

const outDir = mkdtempSync(join(tmpdir(), "api-bundle-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** What infra/api.ts installs beside the bundle instead of bundling it. */
const install = ["swagger-ui-dist"];

let built: BuiltFunction;
/** The TokenSigningKey secret's value: what `npm run signing-key` prints, a JSON array of private JWKs. */
let signingKeys: string;
beforeAll(async () => {
  built = await bundleFunction(handlers.api, outDir, install);
  signingKeys = JSON.stringify([await Access.generateSigningJwk()]);
  console.log(`API bundle: ${kib(built.bytes)} minified (+ ${kib(built.sourceMapBytes)} source map)`);
}, 120_000);

function apiEvent(method: string, path: string, options: { body?: unknown; query?: string; headers?: Record<string, string> } = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return {
    version: "2.0",
    routeKey: "ANY /v1/{proxy+}",
    rawPath: path,
    rawQueryString: options.query ?? "",
    headers: {
      host: "abc123.execute-api.us-east-1.amazonaws.com",
      "user-agent": "bundle-check",
      "x-forwarded-for": "203.0.113.9",
      ...(body ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "bundle-check" },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: "ANY /v1/{proxy+}",
      stage: "$default",
      time: "22/Nov/2026:10:15:30 +0000",
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/**
 * Invokes the bundle in a new process (so nothing from this test's module graph leaks in), in the
 * bundle's own directory. Table, token-signing key and cursor secret come only through SST's links
 * (the encrypted resource file), as in AWS; DynamoDB Local's endpoint and a low bcrypt cost are the
 * only test-specific variables.
 */
function invoke(events: unknown[]) {
  return runBundle<{ statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean }>(
    built,
    outDir,
    events,
    {
      AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-ApiFunction",
      DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
      // KMS_KEY_ID deployed (infra/api.ts); here the test's local master key stands in for KMS.
      MASTER_KEY: process.env.MASTER_KEY!,
      BCRYPT_ROUNDS: "4",
      // The API's links (stack.test.ts asserts them): Table, TokenSigningKey, CursorSecret.
      ...writeSstLinks(outDir, {
        Table: { name: config().tableName, type: "sst.aws.Dynamo" },
        TokenSigningKey: { value: signingKeys, type: "sst.sst.Secret" },
        CursorSecret: { value: "bundle-check-cursor-key", type: "sst.sst.Secret" },
      }),
    },
  );
}

describe("API Lambda bundle", () => {
  it("is outside the repository, so only the bundle and its installed packages can be loaded", () => {
    expect(resolve(outDir).startsWith(resolve("."))).toBe(false);
    expect(readFileSync(built.file, "utf8")).not.toMatch(/from\s*["']@users\//);
  });

  it("loads at a cold start none of what the API never runs: other REST adapters' body parsing, the OpenAPI generator, ElectroDB's model check, zod's JSON Schema import and other locales, Swagger UI, the S3 client, X-Ray", () => {
    const loaded = [...built.inputBytes.keys()];
    const packages = new Set(loaded.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? []));
    const absent = ["co-body", "raw-body", "iconv-lite", "mime-db", "h3", "swagger-ui-dist", "@aws-sdk/client-s3", "yaml", "zod-openapi", "aws-xray-sdk-core", "jsonschema"];
    for (const name of absent) expect(packages.has(name), `${name} is loaded at a cold start`).toBe(false);
    expect(loaded.filter((path) => /^[^:]*zod\/v4\/locales\/(?!en\.js)/.test(path))).toEqual([]);
    // zod's JSON Schema import and z.compile, kept only by trpc-to-openapi's namespace import of zod.
    expect(loaded.filter((path) => /zod\/v4\/(classic\/from-json-schema|core\/compile)\.js$/.test(path))).toEqual([]);
    // The goal docs/benchmark.md reports against (issue 19): a new static import of something heavy
    // shows here first.
    expect(built.bytes, `API bundle loaded at a cold start: ${kib(built.bytes)}`).toBeLessThan(1024 * 1024);
  });

  it("loads in a fresh Node process and answers health, readiness, docs, JWKS, REST and tRPC", async () => {
    const user = {
      email: `bundle.${Date.now().toString(36)}@example.com`,
      password: "correct horse battery",
      firstName: "Ada",
      lastName: "Lovelace",
    };
    const other = { ...user, email: `trpc.${user.email}` };
    const result = await invoke([
      apiEvent("GET", "/health"),
      apiEvent("GET", "/ready"),
      apiEvent("GET", "/openapi.json"),
      apiEvent("GET", "/docs"),
      apiEvent("GET", "/docs/swagger-ui.css"),
      apiEvent("POST", "/v1/users", { body: user }),
      apiEvent("GET", "/v1/users"),
      apiEvent("POST", "/trpc/users.create", { body: other }),
      apiEvent("GET", "/.well-known/jwks.json"),
      // The REST handler reads bodies itself (infra/esbuild-plugins.mjs): bad ones are the API's own 400s.
      apiEvent("POST", "/v1/auth/login", { body: { email: "not-an-email", password: "x" } }),
      { ...apiEvent("POST", "/v1/auth/login"), headers: { ...apiEvent("POST", "/v1/auth/login").headers, "content-type": "application/json" }, body: "{not json" },
    ]);

    console.log(`API bundle: module load (cold start, minus the runtime) ${result.loadMs} ms`);
    // Live-debug compatible: a named async export taking (event, context), no callback.
    expect(result.handlerType).toBe("function");
    expect(result.isAsync).toBe(true);
    expect(result.parameters).toBeLessThanOrEqual(2);
    expect(result.callbackWaitsUntouched).toBe(true);

    const [health, ready, openapi, docs, css, created, listed, trpc, jwks, invalid, malformed] = result.responses as [
      (typeof result.responses)[number],
      ...(typeof result.responses)[number][],
    ];
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    expect(health.statusCode).toBe(200);
    expect(ready!.statusCode).toBe(200);
    expect(JSON.parse(openapi!.body).openapi).toMatch(/^3\./);
    expect(docs!.statusCode).toBe(200);
    expect(docs!.body).toContain("swagger-ui-bundle.js");
    // Read from swagger-ui-dist, installed beside the bundle.
    expect(css!.statusCode).toBe(200);
    expect(css!.headers["content-type"]).toMatch(/text\/css/);

    expect(created!.statusCode).toBe(201);
    const createdBody = JSON.parse(created!.body);
    expect(createdBody.email).toBe(user.email);
    expect(created!.headers.location).toBe(`/v1/users/${createdBody.userId}`);
    expect(created!.headers["x-request-id"]).toBeTruthy();

    // Listing needs a moderator or admin: whatever the answer, it is the API's own JSON, not a crash.
    expect(listed!.statusCode).toBeLessThan(500);
    expect(JSON.parse(listed!.body)).toBeTypeOf("object");

    expect(trpc!.statusCode).toBe(200);
    expect(JSON.parse(trpc!.body).result.data.email).toBe(other.email);

    // The linked TokenSigningKey, published as its public half.
    expect(jwks!.statusCode).toBe(200);
    const [published, ...more] = JSON.parse(jwks!.body).keys;
    expect(more).toEqual([]);
    expect(published.kid).toBe(JSON.parse(signingKeys)[0].kid);
    expect(published.d).toBeUndefined();

    // zod's messages in English, the contract's error body.
    expect(invalid!.statusCode).toBe(400);
    expect(JSON.parse(invalid!.body)).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(JSON.stringify(JSON.parse(invalid!.body).issues)).toMatch(/email/i);
    expect(malformed!.statusCode).toBe(400);
    expect(JSON.parse(malformed!.body).code).toMatch(/^(MALFORMED_JSON|VALIDATION_FAILED)$/);
  });
});
