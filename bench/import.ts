/**
 * `npm run bench:import [-- --users 100000 --concurrency 64]`: the import rate (users/s) and the peak
 * memory of `npm run import` for a file of 100k users, into DynamoDB Local (in memory, started here
 * unless DYNAMODB_ENDPOINT names one), on a fresh table. The importer runs as its own process, as a
 * user runs it; its peak resident memory is read from /proc/<pid>/status (VmHWM).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import bcrypt from "bcryptjs";
import { startDynamoDbLocal, type DynamoDbLocal } from "../packages/api/src/local/dynamodb-local.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { values } = parseArgs({ options: { users: { type: "string", default: "100000" }, concurrency: { type: "string", default: "64" } } });
const users = Number(values.users);

/** Peak resident memory of a process so far, in MiB (Linux). */
function peakMiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function writeFile(path: string): Promise<void> {
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

async function main() {
  let dynamoDb: DynamoDbLocal | undefined;
  if (!process.env.DYNAMODB_ENDPOINT) {
    dynamoDb = await startDynamoDbLocal({ port: 0, dataDir: null });
    process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
  }
  process.env.TABLE_NAME = `bench-import-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
  process.env.DATA_DIR = dir;
  try {
    const { ensureTable } = await import("@users/core");
    await ensureTable(process.env.TABLE_NAME);
    const file = join(dir, "users.ndjson");
    await writeFile(file);
    console.error(`${users} users, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB of NDJSON; importing…`);

    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "packages/api/src/cli/import.ts", file, "--concurrency", values.concurrency!], {
      env: { ...process.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, peakMiB(child.pid!) ?? 0)), 200);
    const [code] = (await once(child, "exit")) as [number | null];
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`the import exited with ${code}: ${stdout}`);
    const summary = stdout.trim().split("\n").at(-1);
    const result = {
      users,
      concurrency: Number(values.concurrency),
      seconds: Number(seconds.toFixed(1)),
      usersPerSecond: Math.round(users / seconds),
      peakMemoryMiB: Math.round(peak),
      summary,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dynamoDb?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
