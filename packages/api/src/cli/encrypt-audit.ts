/**
 * `npm run encrypt-audit -- [--checkpoint file] [--aws]`
 *
 * Seals the personal values of audit events written before they were encrypted per user. Resumable:
 * run it again after an interruption and it goes on from its checkpoint; running it twice is harmless.
 */
import { parseArgs } from "node:util";
import { Privacy, withContext } from "@users/core";
import { useTable } from "./cli-table.ts";

async function main() {
  const { values } = parseArgs({
    options: { checkpoint: { type: "string", default: ".encrypt-audit.checkpoint.json" }, aws: { type: "boolean", default: false } },
  });
  useTable(values.aws);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const result = await withContext({ actor: { kind: "system", name: "encrypt-audit" } }, () =>
    Privacy.encryptAuditTrail({
      checkpointFile: values.checkpoint,
      signal: controller.signal,
      onProgress: (p) => console.error(`${p.scanned} unsealed audit events read, ${p.sealed} sealed`),
    }),
  );
  console.log(`sealed ${result.sealed} of ${result.scanned} audit events${result.complete ? "" : " (interrupted: run again to resume)"}`);
  if (!result.complete) process.exit(130);
}

main().catch((error: Error) => {
  console.error(`encrypt-audit: ${error.message}`);
  process.exit(1);
});
