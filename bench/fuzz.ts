/**
 * `npm run fuzz`: the property of packages/api/test/fuzz.test.ts (never a 5xx, always the contract's
 * error, an answer the OpenAPI document declares, nothing changed by a refused request) over many more
 * random requests than `npm test` runs.
 *
 *   npm run fuzz -- [--runs 5000] [--seed 42]
 *
 * A failure prints fast-check's counterexample and seed; rerun with that seed to replay it.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5000" }, seed: { type: "string" } } });
const runs = Number(values.runs);
const result = spawnSync(
  "npx",
  ["vitest", "run", "packages/api/test/fuzz.test.ts"],
  {
    stdio: "inherit",
    env: { ...process.env, FUZZ_RUNS: String(runs), ...(values.seed ? { FUZZ_SEED: values.seed } : {}) },
  },
);
process.exit(result.status ?? 1);
