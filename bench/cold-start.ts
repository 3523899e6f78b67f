/**
 * Cold start of every Lambda bundle: built as SST builds it (the options of infra/bundling.ts and the
 * bundle check, infra/test/helpers/bundle-function.ts), placed outside the repository, then loaded in a
 * fresh `node` process that makes one handler call. Reported: size, import time, first-call time, and
 * wall time from spawning `node` to the answer; the same against a minimal handler bundled the same way,
 * and against three of the API's libraries alone (Hono, ElectroDB, the AWS SDK) answering the same way
 * with one DynamoDB call (bench/cold/stack-handler.ts).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeEnvironment } from "../infra/bundling.ts";
import { handlers, splitHandler } from "../infra/handlers.ts";
import { bundleFunction } from "../infra/test/helpers/bundle-function.ts";
import type { ColdRow } from "./lib/report.ts";
import { median } from "./lib/stats.ts";

const invokeScript = fileURLToPath(new URL("./cold/invoke.mjs", import.meta.url));

async function bundle(handler: string, outDir: string, install: string[]) {
  const built = await bundleFunction(handler, outDir, install);
  const name = splitHandler(handler).module.split("/").at(-1)!;
  const byPackage = new Map<string, number>();
  for (const [path, bytes] of built.inputBytes) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match ? match[1]! : path.startsWith("packages/") ? path.split("/").slice(0, 2).join("/") : "other";
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytes);
  }
  topPackages.set(name, [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12));
  return built;
}

/** Per bundle, the packages that weigh most in it (bytes in the minified output). */
export const topPackages = new Map<string, [string, number][]>();

function apiEvent(path: string) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "cold-start", "x-forwarded-for": "203.0.113.9" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "cold-start" },
      requestId: "cold-start",
      routeKey: "$default",
      stage: "$default",
      time: "22/Nov/2026:10:15:30 +0000",
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** An audit event that is not an admin grant: the consumer parses it and returns. */
const busEvent = {
  version: "0",
  id: "11111111-1111-4111-8111-111111111111",
  "detail-type": "user.updated",
  source: "users-service",
  account: "123456789012",
  time: new Date().toISOString(),
  region: "us-east-1",
  resources: [],
  detail: {
    eventId: "01JD0000000000000000000000",
    type: "user.updated",
    schemaVersion: 1,
    userId: "00000000-0000-4000-8000-000000000001",
    occurredAt: new Date().toISOString(),
    requestId: "cold-start",
    sourceIp: null,
    actor: { kind: "system", name: "cold-start" },
    changes: { firstName: { from: "A", to: "B" } },
  },
};

function spawnOnce(file: string, exportName: string, event: unknown, env: Record<string, string>, cwd: string) {
  return new Promise<{ wallMs: number; loadMs: number; firstCallMs: number; response: any; error?: string }>((done, fail) => {
    const started = performance.now();
    execFile(process.execPath, [invokeScript, file, exportName, JSON.stringify(event)], { cwd, env, encoding: "utf8" }, (error, stdout) => {
      const wallMs = performance.now() - started;
      if (error) return fail(error);
      const line = JSON.parse(stdout.trim().split("\n").at(-1)!);
      done({ wallMs, ...line });
    });
  });
}

export async function measureColdStarts(options: { env: Record<string, string>; repeats: number; log: (m: string) => void }): Promise<ColdRow[]> {
  const outDir = mkdtempSync(join(tmpdir(), "bench-cold-"));
  const install = ["swagger-ui-dist"];
  const entries = [
    { name: "api (lambda.ts)", handler: handlers.api, event: apiEvent("/health") },
    { name: "audit relay", handler: handlers.auditRelay, event: { Records: [] } },
    { name: "admin-grant alert", handler: handlers.adminGrantAlert, event: busEvent },
    { name: "minimal handler", handler: "bench/cold/minimal-handler.handler", event: apiEvent("/health") },
    { name: "Hono, ElectroDB and the SDK alone", handler: "bench/cold/stack-handler.handler", event: apiEvent("/health") },
  ];
  const baseEnv = {
    PATH: process.env.PATH ?? "",
    AWS_LAMBDA_FUNCTION_NAME: "users-service-bench",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    EVENT_BUS_NAME: "bench-bus",
    TABLE_NAME: options.env.TABLE_NAME!,
    DYNAMODB_ENDPOINT: options.env.DYNAMODB_ENDPOINT!,
    CURSOR_SECRET: options.env.CURSOR_SECRET!,
    TOKEN_SIGNING_KEYS: options.env.TOKEN_SIGNING_KEYS!,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const rows: ColdRow[] = [];
  try {
    for (const [index, entry] of entries.entries()) {
      // Each function in a directory of its own, as deployed: its entry, its chunks, its `install`.
      const dir = join(outDir, String(index));
      const built = await bundle(entry.handler, dir, install);
      const { exportName } = built;
      const plain = [];
      const mapped = [];
      for (let i = 0; i < options.repeats; i++) {
        plain.push(await spawnOnce(built.file, exportName, entry.event, baseEnv, dir));
        mapped.push(await spawnOnce(built.file, exportName, entry.event, { ...baseEnv, ...nodeEnvironment }, dir));
      }
      const last = plain.at(-1)!;
      const status = last.response?.statusCode;
      const ok = !last.error && (status === undefined || status === 200);
      rows.push({
        name: entry.name,
        bytes: built.bytes,
        totalBytes: built.totalBytes,
        sourceMapBytes: built.sourceMapBytes,
        loadMs: median(plain.map((r) => r.loadMs)),
        firstCallMs: median(plain.map((r) => r.firstCallMs)),
        processToAnswerMs: median(plain.map((r) => r.wallMs)),
        withSourceMapsMs: median(mapped.map((r) => r.wallMs)),
        ok,
        ...(last.error ? { note: last.error.slice(0, 80) } : {}),
      });
      options.log(`cold start ${entry.name}: ${(built.bytes / 1024).toFixed(0)} KiB, spawn→answer ${rows.at(-1)!.processToAnswerMs.toFixed(0)} ms`);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Standalone: `tsx bench/cold-start.ts` (handlers that need DynamoDB are only loaded, /health needs none).
  const { formatCold } = await import("./lib/report.ts");
  const rows = await measureColdStarts({
    env: { TABLE_NAME: "bench", DYNAMODB_ENDPOINT: "http://127.0.0.1:9", CURSOR_SECRET: "x", TOKEN_SIGNING_KEYS: "" },
    repeats: 5,
    log: (m) => console.error(m),
  });
  console.log(formatCold(rows));
  for (const [name, top] of topPackages) console.log(`${name}: ${top.map(([p, b]) => `${p} ${(b / 1024).toFixed(0)}K`).join(", ")}`);
}
