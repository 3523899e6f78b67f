/**
 * Does a worker pool pay where requests come one at a time, as in a Lambda instance? `npx tsx
 * bench/experiments/bcrypt-one-at-a-time.ts [rounds] [n]`: the first compare (pool: starting its thread)
 * and the median of n sequential compares, in-thread and through a one-thread pool, each in a fresh
 * process, so neither warms the other. Prints one JSON line per way.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inThreadHasher, workerPoolHasher } from "../../packages/core/src/access/password-hasher.ts";

const [rounds = 12, n = 7] = process.argv.slice(3).map(Number);

if (process.argv[2] === "in-thread" || process.argv[2] === "pool") {
  const hasher = process.argv[2] === "pool" ? await workerPoolHasher(1) : inThreadHasher;
  const hash = await inThreadHasher.hash("correct horse battery", rounds);
  const time = async () => {
    const started = performance.now();
    await hasher.compare("correct horse battery", hash);
    return performance.now() - started;
  };
  const first = await time();
  const rest = [];
  for (let i = 0; i < n; i++) rest.push(await time());
  rest.sort((a, b) => a - b);
  console.log(JSON.stringify({ way: process.argv[2], rounds, firstMs: +first.toFixed(1), medianMs: +rest[Math.floor(n / 2)]!.toFixed(1) }));
  process.exit(0);
} else {
  const self = fileURLToPath(import.meta.url);
  const [r = "12", count = "7"] = process.argv.slice(2);
  for (const way of ["in-thread", "pool", "in-thread", "pool"]) {
    process.stdout.write(execFileSync(process.execPath, [...process.execArgv, self, way, r, count], { encoding: "utf8" }));
  }
}
