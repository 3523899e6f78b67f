import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { config } from "@users/core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedUser } from "./helpers/api-server.ts";
import { checkResponsesOf } from "./helpers/checked-responses.ts";
import { FreezableProxy } from "./helpers/freezable-proxy.ts";
import { rawRequest } from "./helpers/raw-http.ts";

const childScript = fileURLToPath(new URL("./helpers/serve-in-child.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

let proxy: FreezableProxy;
const children: ChildProcess[] = [];
const checks: ReturnType<typeof checkResponsesOf>[] = [];
let base = "";
let token = "";
let userId = "";

/** The real server in its own process, talking to DynamoDB Local through the proxy; its base URL. */
async function startServer(env: Record<string, string> = {}): Promise<string> {
  const child = spawn(tsx, [childScript], {
    // The test file's table and signing keys (test-setup.ts configures them in this process only).
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: proxy.endpoint,
      TABLE_NAME: config().tableName,
      TOKEN_SIGNING_KEYS: config().signingKeys ?? "",
      NODE_ENV: "test",
      // Limits off: the first call of a minute's window is counted by a write to the table, which a
      // stalled store holds until the request's deadline. /ready then answered 503 STORE_UNAVAILABLE at
      // 8 s instead of NOT_READY at 2 s, when the test crossed a minute (CI, once).
      RATE_LIMIT_IP_PER_MINUTE: "0",
      RATE_LIMIT_USER_READS_PER_HOUR: "0",
      RATE_LIMIT_USER_WRITES_PER_HOUR: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (!match) return;
      const base = `http://127.0.0.1:${match[1]}`;
      // Its answers, the 503s included, are checked against the OpenAPI document it serves (the committed one).
      checks.push(checkResponsesOf(base));
      resolve(base);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

beforeAll(async () => {
  const target = new URL(inject("dynamoEndpoint"));
  proxy = await new FreezableProxy({ host: target.hostname, port: Number(target.port) }).start();
  base = await startServer();
  const seeded = await seedUser();
  userId = seeded.user.userId;
  const login = await rawRequest(base, "POST", "/v1/auth/login", {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: seeded.email, password: seeded.password }),
  });
  expect(login.status).toBe(200);
  token = login.body.accessToken;
});

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await proxy?.stop();
  checks.forEach((check) => check.finish());
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

describe("a stalled DynamoDB", () => {
  it("never hangs a request: 503 STORE_UNAVAILABLE with Retry-After within 10 s, /ready 503 within 3 s", async () => {
    proxy.freeze();
    try {
      const auth = { authorization: `Bearer ${token}` };
      const [read, write, ready, health] = await Promise.all([
        timed(() => rawRequest(base, "GET", `/v1/users/${userId}`, { headers: auth })),
        timed(() =>
          rawRequest(base, "PATCH", `/v1/users/${userId}`, {
            headers: { ...auth, "content-type": "application/json", "idempotency-key": "stall-1" },
            body: JSON.stringify({ firstName: "Stalled" }),
          }),
        ),
        timed(() => rawRequest(base, "GET", "/ready")),
        timed(() => rawRequest(base, "GET", "/health")),
      ]);
      for (const { result, seconds } of [read, write]) {
        expect(result.status, result.text).toBe(503);
        expect(result.body).toMatchObject({ code: "STORE_UNAVAILABLE", requestId: result.headers.get("x-request-id") });
        expect(Number(result.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(seconds).toBeLessThan(10);
      }
      expect(ready.result.status).toBe(503);
      expect(ready.result.body.code).toBe("NOT_READY");
      expect(ready.seconds).toBeLessThan(3);
      expect(health.result.status).toBe(200);
    } finally {
      proxy.thaw();
    }
    // Once the store answers again, so does the service.
    const again = await rawRequest(base, "GET", `/v1/users/${userId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
  }, 40_000);

  it("answers 503 STORE_UNAVAILABLE quickly when the store refuses connections", async () => {
    proxy.refuse();
    try {
      const { result, seconds } = await timed(() =>
        rawRequest(base, "GET", `/v1/users/${userId}`, { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(result.status, result.text).toBe(503);
      expect(result.body.code).toBe("STORE_UNAVAILABLE");
      expect(seconds).toBeLessThan(10);
    } finally {
      proxy.thaw();
    }
  }, 30_000);

  it("a PATCH that answered 503 but committed, retried with the same Idempotency-Key, takes effect once", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const before = await rawRequest(base, "GET", `/v1/users/${userId}`, { headers: auth });
    const patch = () =>
      rawRequest(base, "PATCH", `/v1/users/${userId}`, {
        headers: { ...auth, "content-type": "application/json", "idempotency-key": "lost-answer-1" },
        body: JSON.stringify({ lastName: "Committed" }),
      });
    // The transaction reaches DynamoDB and commits; its answer never comes back.
    proxy.loseAnswersTo("TransactWriteItems");
    let first;
    try {
      first = await patch();
    } finally {
      proxy.thaw();
    }
    expect(first.status, first.text).toBe(503);
    expect(first.body.code).toBe("STORE_UNAVAILABLE");

    const retried = await patch();
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ lastName: "Committed", version: before.body.version + 1 });
    const after = await rawRequest(base, "GET", `/v1/users/${userId}`, { headers: auth });
    expect(after.body.version).toBe(before.body.version + 1);
    const audit = await rawRequest(base, "GET", `/v1/users/${userId}/audit`, { headers: auth });
    const renames = audit.body.items.filter(
      (event: { type: string; changes: { lastName?: { to: string } } }) => event.type === "user.updated" && event.changes.lastName?.to === "Committed",
    );
    expect(renames).toHaveLength(1);
    // And again: the same answer, still once.
    const third = await patch();
    expect(third.status).toBe(200);
    expect(third.body.version).toBe(before.body.version + 1);
  }, 40_000);

  it("answers 503, not 500, when the SDK gives up before the request's deadline", async () => {
    // Short SDK attempts, a long request deadline: the SDK's own timeout error reaches the procedure.
    const impatient = await startServer({ AWS_SDK_ATTEMPT_TIMEOUT_MS: "300", SERVE_DEADLINE_MS: "60000" });
    proxy.loseAnswersTo("TransactWriteItems");
    try {
      const res = await rawRequest(impatient, "PATCH", `/v1/users/${userId}`, {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ firstName: "Impatient" }),
      });
      expect(res.status, res.text).toBe(503);
      expect(res.body.code).toBe("STORE_UNAVAILABLE");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      proxy.thaw();
    }
  }, 40_000);
});
