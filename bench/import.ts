/**
 * `npm run bench:import [-- --users 100000 --concurrency 32 --compare 2000]`: the import rate (users/s)
 * and the peak memory of `npm run import` for a file of 100k users, into DynamoDB Local (in memory,
 * started here unless DYNAMODB_ENDPOINT names one), each run on a fresh table. First, on `--compare`
 * users, one user per transaction against the grouped writes, back to back, as a ratio (the machine is
 * noisy). The importer runs as its own process, as a user runs it; its peak resident memory is read
 * from /proc/<pid>/status (VmHWM).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import bcrypt from "bcryptjs";
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { createTableInput } from "../packages/core/src/store/table-layout.ts";
import { startDynamoDbLocal } from "../packages/api/src/local/dynamodb-local.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "32" },
    compare: { type: "string", default: "2000" },
  },
});

/** Peak resident memory of a process so far, in MiB (Linux). */
function peakMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function writeFile(path: string, users: number): Promise<void> {
  // Real bcrypt hashes (the import keeps them as they are; only sign-in pays for bcrypt).
  const hashes = Array.from({ length: 16 }, (_, i) => bcrypt.hashSync(`password ${i}`, 4).replace(/^\$2b\$/, i % 2 ? "$2y$" : "$2a$"));
  const out = createWriteStream(path);
  for (let i = 0; i < users; i++) {
    const line = JSON.stringify({
      email: `bench.${i}@example.com`,
      firstName: "Bench",
      lastName: `User ${i}`,
      ...(i % 3 === 0 ? { username: `bench_${i}` } : {}),
      ...(i % 5 === 0 ? { phoneNumber: `+1555${String(i).padStart(7, "0")}` } : {}),
      metadata: { plan: i % 2 ? "pro" : "free", seat: i },
      emailVerified: i % 2 === 0,
      passwordHash: hashes[i % hashes.length],
    });
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/**
 * One `npm run import` of `users` users into a fresh table, in a DynamoDB Local of its own unless
 * DYNAMODB_ENDPOINT names one (an in-memory DynamoDB Local slows down as earlier runs' tables fill it,
 * which would favour whichever run goes first): rate, peak memory, its summary line.
 */
async function importOnce(dir: string, users: number, groupSize?: number) {
  const dynamoDb = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal({ port: 0, dataDir: null });
  try {
    return await importInto(dynamoDb?.endpoint ?? process.env.DYNAMODB_ENDPOINT!, dir, users, groupSize);
  } finally {
    await dynamoDb?.stop();
  }
}

async function importInto(endpoint: string, dir: string, users: number, groupSize?: number) {
  const tableName = `bench-import-${randomUUID().slice(0, 8)}`;
  // A client of this run's own: the service's client is bound to one endpoint per process.
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  client.destroy();
  const file = join(dir, `users-${users}.ndjson`);
  await writeFile(file, users);
  console.error(`${users} users, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB of NDJSON; importing (group size ${groupSize ?? "default"})…`);
  const started = Date.now();
  const args = [file, "--concurrency", values.concurrency!, ...(groupSize ? ["--group-size", String(groupSize)] : [])];
  const child = spawn(process.execPath, ["--import", "tsx", "packages/api/src/cli/import.ts", ...args], {
    env: { ...process.env, DYNAMODB_ENDPOINT: endpoint, TABLE_NAME: tableName },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakMiB(child.pid!) ?? 0)), 200);
  const [code] = (await once(child, "exit")) as [number | null];
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  rmSync(file, { force: true });
  if (code !== 0) throw new Error(`the import exited with ${code}: ${stdout}`);
  return {
    users,
    groupSize: groupSize ?? "default",
    seconds: Number(seconds.toFixed(1)),
    usersPerSecond: Math.round(users / seconds),
    peakMemoryMiB: Math.round(peak),
    summary: stdout.trim().split("\n").at(-1),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
  process.env.DATA_DIR = dir;
  try {
    const compare = Number(values.compare);
    const runs = [];
    if (compare > 0) {
      const alone = await importOnce(dir, compare, 1);
      const grouped = await importOnce(dir, compare);
      runs.push(alone, grouped);
      console.log(`grouped ÷ one user per transaction, ${compare} users: ${(grouped.usersPerSecond / alone.usersPerSecond).toFixed(2)}`);
    }
    runs.push(await importOnce(dir, Number(values.users)));
    console.log(JSON.stringify({ concurrency: Number(values.concurrency), runs }, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
