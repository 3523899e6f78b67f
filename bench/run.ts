/**
 * `npm run bench`: how fast the service is and where its time goes (issue 6). Never part of `npm test`.
 *
 *   tsx bench/run.ts [--duration 4] [--warmup 1] [--concurrency 1,16,64] [--only a,b] [--json file]
 *                    [--list-users 100000] [--skip-scaling] [--skip-cold] [--profile dir]
 *
 * DynamoDB Local (in memory) is started here unless DYNAMODB_ENDPOINT names one (a fresh table is made
 * either way). The API runs in a separate Node process (bench/server.ts) so its CPU time per request is
 * read from /proc/<pid>/stat; load comes from autocannon in this process. See docs/benchmark.md.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { startDynamoDbLocal, type DynamoDbLocal } from "../packages/api/src/local/dynamodb-local.ts";
import { Access, User, configure, configureKeys, ensureTable, withContext } from "@users/core";
import { inThreadHasher, workerPoolHasher } from "@users/core/access/password-hasher";
import { generateMasterKey } from "@users/core/keys/index";
import { encodeCursor } from "@users/core/pagination";
import { userConversions } from "@users/core/store/entities/user.entity";
import * as floor from "./lib/floor.ts";
import { formatCold, formatGoals, formatResults, formatScaling, type Row } from "./lib/report.ts";
import { bulkUsers, rehashPasswords, seedUsers } from "./lib/seed.ts";
import { runClosedLoop, runHttp, type HttpLoad, type Measured } from "./lib/load.ts";
import { cpuMs, findDynamoDbLocalPid } from "./lib/proc.ts";
import { startServer, type ServerProcess } from "./lib/server-process.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    warmup: { type: "string", default: "1" },
    concurrency: { type: "string", default: "1,16,64" },
    only: { type: "string" },
    json: { type: "string" },
    "list-users": { type: "string", default: "100000" },
    "skip-scaling": { type: "boolean", default: false },
    "skip-cold": { type: "boolean", default: false },
    profile: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(`Usage: npm run bench -- [--duration s] [--warmup s] [--concurrency 1,16,64] [--only scenario,...]
       [--json file] [--list-users n] [--skip-scaling] [--skip-cold] [--profile dir]`);
  process.exit(0);
}
const DURATION = Number(flags.duration);
const WARMUP = Number(flags.warmup);
const LEVELS = flags.concurrency!.split(",").map(Number);
// Names are separated by commas; a comma followed by a space belongs to a name ("REST create, cost 4").
const ONLY = flags.only ? new Set(flags.only.split(/,(?! )/)) : null;
const LIST_USERS = Number(flags["list-users"]);
const CONFIGURED_ROUNDS = process.env.BCRYPT_ROUNDS || "12";
const SOURCE_IP = "127.0.0.1";

// ---------------------------------------------------------------------------------------------------
// DynamoDB Local, a fresh table, keys; then the domain is loaded (entities read TABLE_NAME on import).
let dynamoDb: DynamoDbLocal | undefined;
const servers: ServerProcess[] = [];
async function cleanUp() {
  for (const server of servers) await server.stop().catch(() => undefined);
  await dynamoDb?.stop().catch(() => undefined);
}
process.on("SIGINT", () => void cleanUp().then(() => process.exit(130)));
// On a crash, leave nothing running: the API processes and the DynamoDB Local JVM.
process.on("exit", () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  try {
    if (dynamoDb && ddbPid) process.kill(ddbPid, "SIGKILL");
  } catch {
    // already gone, or not found yet
  }
});

// The domain logs metrics (CloudWatch EMF lines) on stdout; while seeding here they would bury the table.
const consoleLog = console.log.bind(console);
console.log = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith('{"_aws"')) return;
  consoleLog(...args);
};

const t0 = Date.now();
const log = (message: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);

if (!process.env.DYNAMODB_ENDPOINT) dynamoDb = await startDynamoDbLocal({ port: 0, dataDir: null });
const endpoint = dynamoDb?.endpoint ?? process.env.DYNAMODB_ENDPOINT!;
const ddbPid = findDynamoDbLocalPid(Number(new URL(endpoint).port));
const tableName = `bench-${randomUUID().slice(0, 8)}`;
const serverEnv: Record<string, string> = {
  DYNAMODB_ENDPOINT: endpoint,
  TABLE_NAME: tableName,
  TOKEN_SIGNING_KEYS: JSON.stringify([await Access.generateSigningJwk()]),
  CURSOR_SECRET: "bench-cursor-secret",
  // One master key for this process (which seeds users and their data keys) and the API processes.
  MASTER_KEY: generateMasterKey(),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  NODE_ENV: "production",
  // DynamoDB Local on a busy machine can take seconds per call while the bench seeds and loads it.
  AWS_SDK_ATTEMPT_TIMEOUT_MS: "60000",
  // Rate limits off for every scenario but the one that measures what they cost.
  RATE_LIMIT_IP_PER_MINUTE: "0",
  RATE_LIMIT_USER_READS_PER_HOUR: "0",
  RATE_LIMIT_USER_WRITES_PER_HOUR: "0",
};
// This process seeds the table (hashing at cost 4); the API process gets serverEnv.
configure({
  dynamoEndpoint: endpoint,
  tableName,
  signingKeys: serverEnv.TOKEN_SIGNING_KEYS,
  cursorSecret: serverEnv.CURSOR_SECRET,
  bcryptRounds: 4,
});
configureKeys({ provider: "local", masterKey: Buffer.from(serverEnv.MASTER_KEY!, "base64") });

await ensureTable(tableName);
log(`DynamoDB Local ${endpoint} (pid ${ddbPid ?? "?"}), table ${tableName}`);

// ---------------------------------------------------------------------------------------------------
// Seed: the callers, sign-in pools (service and floor kept apart), and refresh sessions.
const [admin] = await seedUsers(1, { roles: ["admin"], tag: "admin" });
const [customer] = await seedUsers(1, { tag: "me" });
const loginPool = await seedUsers(128, { tag: "login" });
const floorLoginPool = await seedUsers(128, { tag: "floor-login" });
const refreshUsers = await seedUsers(64, { tag: "refresh" });
const floorRefreshUsers = await seedUsers(32, { tag: "floor-refresh" });
const targets = loginPool.slice(0, 100).map((u) => u.userId);
const seededCount = 2 + 128 * 2 + 64 + 32;
log(`seeded ${seededCount} users through User.create`);

const signInDomain = (u: { email: string; password: string }) =>
  withContext({ actor: { kind: "anonymous" }, sourceIp: "127.0.0.2", userAgent: "bench-seed" }, () =>
    User.login({ email: u.email, password: u.password }),
  );
const sessionOf = (refreshToken: string) => {
  const [userId, sessionId] = Buffer.from(refreshToken.split(".")[0]!, "base64url").toString("utf8").split(":");
  return { userId: userId!, sessionId: sessionId! };
};
async function sessionsFor(users: typeof refreshUsers, perUser: number) {
  const tokens: string[] = [];
  for (let round = 0; round < perUser; round++) {
    await Promise.all(users.map(async (u) => tokens.push((await signInDomain(u)).refreshToken)));
  }
  return tokens;
}
const refreshTokens = await sessionsFor(refreshUsers, 6);
const floorRefreshSessions = (await sessionsFor(floorRefreshUsers, 4)).map(sessionOf);
log(`opened ${refreshTokens.length} + ${floorRefreshSessions.length} refresh sessions`);

// ---------------------------------------------------------------------------------------------------
// The API processes: one at the configured bcrypt cost, one at cost 4 (create's own overhead).
/** BENCH_SERVER_NODE_ARGS: extra `node` flags for the API processes (experiments, e.g. a preload). */
const extraNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
async function apiServer(extra: Record<string, string> = {}, nodeArgs: string[] = []) {
  const server = await startServer({ ...serverEnv, BCRYPT_ROUNDS: CONFIGURED_ROUNDS, ...extra }, { nodeArgs: [...extraNodeArgs, ...nodeArgs] });
  servers.push(server);
  return server;
}
const api = await apiServer();
const api4 = await apiServer({ BCRYPT_ROUNDS: "4" });
log(`API ${api.base} (pid ${api.pid}, BCRYPT_ROUNDS=${CONFIGURED_ROUNDS}); ${api4.base} (pid ${api4.pid}, BCRYPT_ROUNDS=4)`);

async function signInHttp(base: string, u: { email: string; password: string }) {
  const response = await fetch(`${base}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: u.email, password: u.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { accessToken: string; refreshToken: string };
}
/** Fresh access tokens (they last 15 minutes; the bench signs in again before each scenario). */
async function bearer(who: { email: string; password: string }) {
  return { authorization: `Bearer ${(await signInHttp(api.base, who)).accessToken}` };
}

// ---------------------------------------------------------------------------------------------------
// One measurement: warm-up, then the measured run with CPU of the API and DynamoDB Local around it.

/**
 * autocannon abandons requests still in flight when its time is up; the server finishes them anyway.
 * Wait until the API process is idle again (CPU moving < 10 ms per 250 ms, at most 60 s) so one row's
 * leftovers are not charged to the next.
 */
async function settle(server: ServerProcess) {
  const deadline = Date.now() + 60_000;
  let last = cpuMs(server.pid);
  while (last !== null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuMs(server.pid);
    if (now === null || now - last < 10) return;
    last = now;
  }
}

async function measureHttp(server: ServerProcess, load: () => HttpLoad, connections: number, alongside?: () => Alongside) {
  await settle(server);
  const other = alongside?.();
  if (WARMUP > 0) await runHttp(server.base, load(), connections, WARMUP);
  const cpu0 = cpuMs(server.pid);
  const ddb0 = cpuMs(ddbPid);
  const self0 = process.cpuUsage();
  const measured = await runHttp(server.base, load(), connections, DURATION);
  const self = process.cpuUsage(self0);
  const alongsideDid = await other?.stop();
  await settle(server); // the CPU of requests still in flight at the end belongs to this row
  const perReq = (delta: number | null) => (delta === null || measured.ok === 0 ? null : delta / (measured.ok + measured.failed));
  const cpu1 = cpuMs(server.pid);
  const ddb1 = cpuMs(ddbPid);
  return {
    measured,
    apiCpuMsPerReq: perReq(cpu0 === null || cpu1 === null ? null : cpu1 - cpu0),
    ddbCpuMsPerReq: perReq(ddb0 === null || ddb1 === null ? null : ddb1 - ddb0),
    loadGenCpuMsPerReq: (self.user + self.system) / 1000 / Math.max(1, measured.ok + measured.failed),
    alongside: alongsideDid,
  };
}

const floorCache = new Map<string, { measured: Measured; ddbCpuMsPerOp: number | null; clientCpuMsPerOp: number | null }>();
async function measureFloor(key: string, op: (loop: number) => Promise<void>, concurrency: number) {
  const cacheKey = `${key}@${concurrency}`;
  const cached = floorCache.get(cacheKey);
  if (cached) return cached;
  if (WARMUP > 0) await runClosedLoop(op, concurrency, WARMUP);
  const ddb0 = cpuMs(ddbPid);
  // This process's CPU in the floor run: the SDK client (or bcryptjs) doing the floor's work, nothing else.
  const self0 = process.cpuUsage();
  const measured = await runClosedLoop(op, concurrency, DURATION);
  const self = process.cpuUsage(self0);
  const ddb1 = cpuMs(ddbPid);
  const result = {
    measured,
    ddbCpuMsPerOp: ddb0 === null || ddb1 === null || measured.ok === 0 ? null : (ddb1 - ddb0) / measured.ok,
    clientCpuMsPerOp: measured.ok === 0 ? null : (self.user + self.system) / 1000 / measured.ok,
  };
  floorCache.set(cacheKey, result);
  return result;
}

interface Scenario {
  name: string;
  server?: () => ServerProcess;
  /** Called before each concurrency level (fresh tokens); returns the load. */
  prepare: (connections: number) => Promise<() => HttpLoad>;
  floor?: { key: string; op: (loop: number) => Promise<void> };
  note?: string;
  /** Other load on the same server during the warm-up and the measured run (started after it is idle). */
  alongside?: () => Alongside;
}

interface Alongside {
  /** Stops the load and says what it did. */
  stop: () => Promise<string>;
}

const rows: Row[] = [];
async function run(scenario: Scenario, levels = LEVELS) {
  if (ONLY && !ONLY.has(scenario.name)) return;
  for (const connections of levels) {
    const load = await scenario.prepare(connections);
    const server = scenario.server?.() ?? api;
    const http = await measureHttp(server, load, connections, scenario.alongside);
    const fl = scenario.floor ? await measureFloor(scenario.floor.key, scenario.floor.op, connections) : null;
    const row: Row = {
      scenario: scenario.name,
      concurrency: connections,
      api: http.measured,
      apiCpuMsPerReq: http.apiCpuMsPerReq,
      ddbCpuMsPerReq: http.ddbCpuMsPerReq,
      loadGenCpuMsPerReq: http.loadGenCpuMsPerReq,
      floor: fl?.measured ?? null,
      floorDdbCpuMsPerOp: fl?.ddbCpuMsPerOp ?? null,
      floorClientCpuMsPerOp: fl?.clientCpuMsPerOp ?? null,
      ratio: fl && fl.measured.rps > 0 ? http.measured.rps / fl.measured.rps : null,
      ...(scenario.note || http.alongside ? { note: [scenario.note, http.alongside].filter(Boolean).join("; ") } : {}),
    };
    rows.push(row);
    const bad = Object.entries(http.measured.statuses).filter(([s]) => !s.startsWith("2"));
    log(
      `${scenario.name.padEnd(22)} c=${String(connections).padEnd(3)} ${http.measured.rps.toFixed(0).padStart(6)} req/s  p99 ${http.measured.p99.toFixed(1)} ms` +
        (fl ? `  floor ${fl.measured.rps.toFixed(0)} op/s  ratio ${row.ratio?.toFixed(2)}` : "") +
        (bad.length || http.measured.failed ? `  failed ${http.measured.failed} ${JSON.stringify(Object.fromEntries(bad))}` : ""),
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Scenarios
const json = { "content-type": "application/json" };
let targetIndex = 0;
const nextTarget = () => targets[targetIndex++ % targets.length]!;
const getFloor = { key: "get", op: () => floor.getById(admin!.userId, nextTarget()) };

/** The list-scaling run: first page and a deep page of status=active, at 16 connections. */
const scaling: { users: number; page: string; row: Row }[] = [];
/** DynamoDB read units (ReturnConsumedCapacity) of one page of 50, at each table size. */
const readUnits: { users: number; search: number; list: number }[] = [];
let bulk: Awaited<ReturnType<typeof bulkUsers>> = [];
async function listScaling(users: number) {
  const active = bulk.filter((u) => u.status === "active").sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const middle = active[Math.floor(active.length / 2)]!;
  // The sharded list's cursor is the last `createdAt#userId` key shown (see core/src/user/sharded-list.ts).
  const position = `${middle.createdAt}#${middle.userId}`;
  const cursor = encodeCursor(JSON.stringify(["users", "active", null, null]), position);
  const startKey = position;
  readUnits.push({ users, ...(await floor.pageReadUnits(tableName)) });
  log(`  read units per page of 50 at ${users} users: search ${readUnits.at(-1)!.search}, list ${readUnits.at(-1)!.list}`);
  for (const [page, query, key] of [
    ["first", "", undefined],
    ["deep", `&cursor=${encodeURIComponent(cursor)}`, startKey],
    ["search", "&q=bulk", undefined],
  ] as const) {
    const name = `list scaling ${page}`;
    const before = rows.length;
    await run(
      {
        name: `list-${page}@${users}`,
        prepare: async () => {
          const headers = await bearer(admin!);
          return () => ({ path: `/v1/users?status=active&limit=50${query}`, headers });
        },
        // The search page's floor is the list's: one read of the same shape (shard queries, then the users).
        floor: { key: `list-${page}-${users}`, op: () => floor.listPage(admin!.userId, "active", key, page !== "search") },
      },
      [16],
    );
    for (const row of rows.splice(before)) scaling.push({ users, page: name, row });
  }
}

if (!flags["skip-scaling"]) {
  const firstSize = Math.min(1000, LIST_USERS);
  bulk = await bulkUsers(tableName, 0, Math.max(0, firstSize - seededCount));
  log(`table holds ${seededCount + bulk.length} users: list scaling at that size`);
  await listScaling(seededCount + bulk.length);
  const more = await bulkUsers(tableName, bulk.length, LIST_USERS - seededCount, 6, (done) => {
    if (done % 20000 < 25) log(`  bulk: ${done} more users written`);
  });
  bulk = bulk.concat(more);
  log(`table holds ${seededCount + bulk.length} users: list scaling at that size`);
  await listScaling(seededCount + bulk.length);
}

await run({
  name: "health (no DynamoDB)",
  prepare: async () => () => ({ path: "/health" }),
});

/** REST GETs by id as the admin, rotating over the targets. */
const restGetLoad = async () => {
  const headers = await bearer(admin!);
  return () => ({
    path: "/v1/users/x",
    headers,
    requests: [{ method: "GET", setupRequest: (req: any) => ({ ...req, path: `/v1/users/${nextTarget()}` }) }],
  });
};

await run({ name: "REST get by id", prepare: restGetLoad, floor: getFloor });

// The rate limiter's cost: the same GETs with every limit on (set high enough never to refuse), counted
// in the table as in AWS. Compare its ratio to the floor with "REST get by id" (limits off).
const LIMITED = "REST get by id (limits on)";
if (!ONLY || ONLY.has(LIMITED)) {
  const apiLimited = await apiServer({
    RATE_LIMIT_IP_PER_MINUTE: "1000000000",
    RATE_LIMIT_USER_READS_PER_HOUR: "1000000000",
    RATE_LIMIT_USER_WRITES_PER_HOUR: "1000000000",
  });
  await run({
    name: LIMITED,
    server: () => apiLimited,
    prepare: async () => {
      const headers = { authorization: `Bearer ${(await signInHttp(apiLimited.base, admin!)).accessToken}` };
      return () => ({
        path: "/v1/users/x",
        headers,
        requests: [{ method: "GET", setupRequest: (req: any) => ({ ...req, path: `/v1/users/${nextTarget()}` }) }],
      });
    },
    floor: getFloor,
    note: "IP and user-read limits on; compare the ratio with REST get by id",
  });
}

await run({
  name: "tRPC get by id",
  prepare: async () => {
    const headers = await bearer(admin!);
    return () => ({
      path: "/trpc/users.get",
      headers,
      requests: [
        {
          method: "GET",
          setupRequest: (req: any) => ({
            ...req,
            path: `/trpc/users.get?input=${encodeURIComponent(JSON.stringify({ userId: nextTarget() }))}`,
          }),
        },
      ],
    });
  },
  floor: getFloor,
});

const BATCH = 10;
await run({
  name: `tRPC batch of ${BATCH} gets`,
  note: `req/s counts HTTP requests (each ${BATCH} gets); the floor op is ${BATCH} get sequences in parallel`,
  prepare: async () => {
    const headers = await bearer(admin!);
    return () => ({
      path: "/trpc",
      headers,
      requests: [
        {
          method: "GET",
          setupRequest: (req: any) => {
            const input = Object.fromEntries(Array.from({ length: BATCH }, (_, i) => [i, { userId: nextTarget() }]));
            const procs = Array.from({ length: BATCH }, () => "users.get").join(",");
            return { ...req, path: `/trpc/${procs}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}` };
          },
        },
      ],
    });
  },
  floor: {
    key: "batch",
    op: async () => {
      await Promise.all(Array.from({ length: BATCH }, () => floor.getById(admin!.userId, nextTarget())));
    },
  },
});

await run({
  name: "REST list 50 by status",
  prepare: async () => {
    const headers = await bearer(admin!);
    return () => ({ path: "/v1/users?status=active&limit=50", headers });
  },
  floor: { key: "list", op: () => floor.listPage(admin!.userId, "active") },
});

await run({
  name: "authenticated get /me",
  prepare: async () => {
    const headers = await bearer(customer!);
    return () => ({ path: "/v1/auth/me", headers });
  },
  floor: { key: "me", op: () => floor.getById(customer!.userId, customer!.userId) },
});

let created = 0;
const createLoad = () => () => ({
  path: "/v1/users",
  method: "POST",
  headers: json,
  requests: [
    {
      method: "POST",
      setupRequest: (req: any) => ({
        ...req,
        headers: json,
        body: JSON.stringify({
          email: `bench.create.${created++}.${Date.now().toString(36)}@example.com`,
          password: "correct horse battery",
          firstName: "Ada",
          lastName: "Lovelace",
        }),
      }),
    },
  ],
});
const createFloor = { key: "create", op: () => floor.create("c") };
await run({ name: "REST create, cost 4", server: () => api4, prepare: async () => createLoad(), floor: createFloor });

let loginIndex = 0;
let floorLoginIndex = 0;
/** Sign-ins rotating over the login pool, so each email sees one attempt at a time. */
const loginLoad = async () => () => ({
  path: "/v1/auth/login",
  method: "POST",
  requests: [
    {
      method: "POST",
      setupRequest: (req: any) => {
        const u = loginPool[loginIndex++ % loginPool.length]!;
        return { ...req, headers: json, body: JSON.stringify({ email: u.email, password: u.password }) };
      },
    },
  ],
});
// On the cost-4 process: a sign-in rehashes a password whose cost differs from the configured one
// (user/password-upgrade.ts), so on the cost-12 process every first sign-in here would pay a cost-12 hash.
await run({
  name: "login (hash cost 4)",
  note: "seeded passwords are hashed at cost 4, served at BCRYPT_ROUNDS=4; the floor has no bcrypt",
  server: () => api4,
  prepare: loginLoad,
  floor: { key: "login", op: () => floor.login(floorLoginPool[floorLoginIndex++ % floorLoginPool.length]!, SOURCE_IP) },
});

// From here the login pool's passwords are hashed at the configured cost (one hash, set on each user).
const LOGIN_CONFIGURED = `login (hash cost ${CONFIGURED_ROUNDS})`;
const GET_WITH_SIGN_INS = "REST get by id with sign-ins alongside";
if (!ONLY || ONLY.has(LOGIN_CONFIGURED) || ONLY.has(GET_WITH_SIGN_INS)) {
  await rehashPasswords(loginPool, Number(CONFIGURED_ROUNDS));
  log(`login pool rehashed at cost ${CONFIGURED_ROUNDS}`);
}

// Sign-in at the configured cost against bcryptjs alone: the floor is bcryptjs compares at that cost in
// a pool of one worker thread per CPU (in this process, the API idle), closed loop at the same
// concurrency: the most this machine does. At one connection per CPU: at cost 12 a compare takes
// 0.4–1 s here, so 16 connections would queue each sign-in past the end of a 4 s run.
if (!ONLY || ONLY.has(LOGIN_CONFIGURED)) {
  const bcryptFloor = await workerPoolHasher(availableParallelism());
  const hash = await inThreadHasher.hash(loginPool[0]!.password, Number(CONFIGURED_ROUNDS));
  await run(
    {
      name: LOGIN_CONFIGURED,
      note: `floor: bcryptjs compare at cost ${CONFIGURED_ROUNDS} in ${availableParallelism()} worker threads, nothing else`,
      prepare: loginLoad,
      floor: {
        key: "bcrypt-compare",
        op: async () => {
          if (!(await bcryptFloor.compare(loginPool[0]!.password, hash))) throw new Error("compare failed");
        },
      },
    },
    [availableParallelism()],
  );
}

// One sign-in at a time at the configured cost beside the GETs: what a sign-in does to everyone else's
// latency (bcrypt off the event loop, or not: BCRYPT_THREADS=0 for the in-thread figure).
if (!ONLY || ONLY.has(GET_WITH_SIGN_INS)) {
  await run(
    {
      name: GET_WITH_SIGN_INS,
      prepare: restGetLoad,
      floor: getFloor,
      alongside: () => {
        let stopped = false;
        let signedIn = 0;
        let failed = 0;
        const loop = (async () => {
          while (!stopped) {
            await signInHttp(api.base, loginPool[loginIndex++ % loginPool.length]!).then(() => signedIn++, () => failed++);
          }
        })();
        return {
          stop: async () => {
            stopped = true;
            await loop;
            return `1 sign-in at a time alongside at cost ${CONFIGURED_ROUNDS}: ${signedIn} done${failed ? `, ${failed} failed` : ""}`;
          },
        };
      },
    },
    [16],
  );
}

/**
 * Refresh chains: a chain is one session's current refresh token and how often it was used. A request
 * takes a chain from the ready queue and its answer puts the chain back with the new token (autocannon
 * resets a connection's context after each request, so the chain rides in it only for that request).
 * After 100 refreshes a chain is retired, so no session item grows beyond ~100 used hashes; a chain
 * whose refresh failed is dropped.
 */
const CHAIN = 100;
const readyChains = refreshTokens.map((token) => ({ token, used: 0 }));
const floorChains = new Map<number, { session: { userId: string; sessionId: string }; used: number }>();
let floorSessionIndex = 0;
await run({
  name: "token refresh",
  note: `each session is refreshed in a chain of up to ${CHAIN} rotations`,
  prepare: async () => () => ({
    path: "/v1/auth/refresh",
    method: "POST",
    requests: [
      {
        method: "POST",
        setupRequest: (req: any, context: any) => {
          const chain = readyChains.shift();
          context.chain = chain;
          return { ...req, headers: json, body: JSON.stringify({ refreshToken: chain?.token ?? "no-chain-left" }) };
        },
        onResponse: (status: number, body: string, context: any) => {
          const chain = context.chain as { token: string; used: number } | undefined;
          if (!chain || status !== 200) return;
          chain.token = (JSON.parse(body) as { refreshToken: string }).refreshToken;
          chain.used += 1;
          if (chain.used < CHAIN) readyChains.push(chain);
        },
      },
    ],
  }),
  floor: {
    key: "refresh",
    op: (loop) => {
      let chain = floorChains.get(loop);
      if (!chain || chain.used >= CHAIN) {
        chain = { session: floorRefreshSessions[floorSessionIndex++ % floorRefreshSessions.length]!, used: 0 };
        floorChains.set(loop, chain);
      }
      chain.used += 1;
      return floor.refresh(chain.session.userId, chain.session.sessionId);
    },
  },
});
log(`refresh chains still usable: ${readyChains.length} of ${refreshTokens.length}`);

// Last, on a process of its own: at cost 12 bcryptjs keeps the event loop busy long after the run.
if (!ONLY || ONLY.has(`REST create, cost ${CONFIGURED_ROUNDS}`)) {
  const apiConfigured = await apiServer();
  await run({ name: `REST create, cost ${CONFIGURED_ROUNDS}`, server: () => apiConfigured, prepare: async () => createLoad(), floor: createFloor });
  await apiConfigured.stop();
}

// ---------------------------------------------------------------------------------------------------
// Cold start, profile, report.
let cold: Awaited<ReturnType<typeof import("./cold-start.ts").measureColdStarts>> | undefined;
if (!flags["skip-cold"]) {
  const { measureColdStarts } = await import("./cold-start.ts");
  cold = await measureColdStarts({ env: serverEnv, repeats: 5, log });
}

let profile: unknown;
if (flags.profile) {
  const { profileScenarios } = await import("./profile.ts");
  profile = await profileScenarios({
    dir: flags.profile,
    seconds: DURATION,
    warmup: WARMUP,
    startServer: (nodeArgs) => apiServer({}, nodeArgs),
    scenarios: [
      { name: "health", load: async () => () => ({ path: "/health" }) },
      { name: "authenticated-get", load: async () => { const headers = await bearer(customer!); return () => ({ path: "/v1/auth/me", headers }); } },
      { name: "rest-get", load: async () => { const headers = await bearer(admin!); return () => ({ path: `/v1/users/${targets[0]}`, headers }); } },
      { name: "list", load: async () => { const headers = await bearer(admin!); return () => ({ path: "/v1/users?status=active&limit=50", headers }); } },
    ],
    log,
  });
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const report = {
  date: new Date().toISOString(),
  machine,
  options: { durationSeconds: DURATION, warmupSeconds: WARMUP, concurrency: LEVELS, bcryptRounds: CONFIGURED_ROUNDS, listUsers: LIST_USERS },
  results: rows,
  listScaling: scaling,
  pageReadUnits: readUnits,
  coldStart: cold,
  profile,
};

console.log(`\nUsers service benchmark — ${report.date} — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
console.log(`warm-up ${WARMUP} s, measured ${DURATION} s per row; ratio = service req/s ÷ DynamoDB floor op/s at the same concurrency\n`);
console.log(formatResults(rows));
if (scaling.length) console.log(`\n${formatScaling(scaling)}`);
if (readUnits.length >= 2) {
  const [small, large] = [readUnits[0]!, readUnits.at(-1)!];
  console.log(
    `\nRead units per page of 50 (ReturnConsumedCapacity): search ${small.search} at ${small.users} users, ${large.search} at ${large.users} (ratio ${(large.search / small.search).toFixed(2)}); list ${small.list} → ${large.list} (ratio ${(large.list / small.list).toFixed(2)})`,
  );
}
if (cold) console.log(`\n${formatCold(cold)}`);
console.log(`\n${formatGoals(rows, scaling, cold, LOGIN_CONFIGURED)}`);
if (flags.json) {
  mkdirSync(dirname(flags.json), { recursive: true });
  writeFileSync(flags.json, JSON.stringify(report, null, 2));
  log(`wrote ${flags.json}`);
}
await cleanUp();
log("done");
process.exit(0);
