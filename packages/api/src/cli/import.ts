/**
 * `npm run import -- <file> [--format ndjson|auth0|cognito-csv] [--dry-run] [--concurrency 32] [--group-size 8] [--aws]`
 *
 * Brings users from a file into the table (see docs/moving-users.md): our NDJSON, Auth0's bulk-import
 * JSON array, or a Cognito user-pool CSV export. Resumable: an interrupted run (Ctrl-C, a crash) is
 * continued by running the same command again; users already there are skipped.
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { config, configure, withContext } from "@users/core";
import { ImportFormats, guessFormat, runImport } from "@users/core/moving/index";
import { duration, useTable } from "./cli-table.ts";

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      concurrency: { type: "string", default: "32" },
      "group-size": { type: "string" },
      report: { type: "string" },
      checkpoint: { type: "string" },
      aws: { type: "boolean", default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error("usage: npm run import -- <file> [--format ndjson|auth0|cognito-csv] [--dry-run]");
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new Error("--concurrency must be 1 to 256");
  const groupSize = values["group-size"] === undefined ? undefined : Number(values["group-size"]);
  if (groupSize !== undefined && (!Number.isInteger(groupSize) || groupSize < 1 || groupSize > 64)) {
    throw new Error("--group-size must be 1 to 64");
  }
  // Batch work: a transaction of several users may wait seconds for DynamoDB Local's locks.
  if (!process.env.AWS_SDK_ATTEMPT_TIMEOUT_MS) configure({ awsAttemptTimeoutMs: 60_000 });
  useTable(values.aws);

  const format = (values.format ?? guessFormat(file)) as (typeof ImportFormats)[number];
  if (!ImportFormats.includes(format)) throw new Error(`--format must be one of ${ImportFormats.join(", ")}`);

  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nStopping: finishing the users in flight and saving the checkpoint (Ctrl-C again to quit now)…\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });

  const tty = process.stderr.isTTY;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: " {bar} {percentage}% | {processed} users | {rate}/s | {left} left | imported {imported}, skipped {skipped}, failed {failed}", stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let lastLine = 0;
  const dryRun = values["dry-run"];
  console.error(`${dryRun ? "Checking" : "Importing"} ${file} (${format}) into table ${config().tableName}…`);
  const result = await withContext({ actor: { kind: "system", name: "import" } }, () =>
    runImport({
      file,
      format,
      dryRun,
      concurrency,
      groupSize,
      reportFile: values.report,
      checkpointFile: values.checkpoint,
      signal: controller.signal,
      onProgress(p) {
        const payload = {
          processed: p.processed,
          rate: Math.round(p.rate),
          left: p.secondsLeft === null ? "?" : duration(p.secondsLeft),
          imported: p.imported,
          skipped: p.skipped,
          failed: p.failed,
        };
        if (bar) {
          const total = p.recordsInFile ?? p.processed + 1;
          if (!bar.isActive) bar.start(total, p.processed, payload);
          else {
            bar.setTotal(total);
            bar.update(p.processed, payload);
          }
        } else if (Date.now() - lastLine >= 2000) {
          lastLine = Date.now();
          const of = p.recordsInFile === null ? "" : ` of ~${p.recordsInFile}`;
          console.error(`${p.processed}${of} users (${Math.floor((100 * p.processed) / Math.max(1, p.recordsInFile ?? p.processed))}%), ${payload.rate}/s, ${payload.left} left`);
        }
      },
    }),
  );
  bar?.stop();
  if (result.resumedFrom > 0) console.error(`Resumed after record ${result.resumedFrom}.`);
  console.log(`${dryRun ? "would have imported" : "imported"} ${result.imported}, skipped ${result.skipped}, failed ${result.failed}`);
  if (result.failed > 0) console.error(`Failed records (number, line, reason): ${result.reportFile}`);
  if (!result.complete) {
    console.error(`Interrupted: run the same command again to resume (checkpoint ${result.checkpointFile}).`);
    process.exit(130);
  }
}

main().catch((error: Error) => {
  console.error(`import: ${error.message}`);
  process.exit(1);
});
