/**
 * `npm run backfill [-- --state .data/backfill-search.json] [--aws]`
 *
 * Builds the search terms and the user counts for users stored before they existed. Each user is done in
 * one transaction that also marks it, so a user is never counted twice: re-running skips users already
 * done, and an interrupted run resumes from the position saved in the state file after every page.
 * Safe while the service runs (a user changed meanwhile is indexed by that change).
 * Locally it talks to DYNAMODB_ENDPOINT (default http://127.0.0.1:8000); with --aws to the stage's table.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import cliProgress from "cli-progress";
import { User, config, configure, withContext } from "@users/core";
import { dynamo } from "@users/core/store/client";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CONCURRENCY = 8;

async function main() {
  const { values } = parseArgs({
    options: {
      state: { type: "string", default: ".data/backfill-search.json" },
      aws: { type: "boolean", default: false },
      "page-size": { type: "string", default: "200" },
    },
  });
  if (!values.aws && !config().dynamoEndpoint) configure({ dynamoEndpoint: "http://127.0.0.1:8000" });
  const tableName = config().tableName;

  const statePath = values.state!;
  const saved = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as { table: string; startKey?: Record<string, unknown>; scanned: number }) : null;
  const resume = saved && saved.table === tableName ? saved : null;
  let startKey = resume?.startKey;
  let scanned = resume?.scanned ?? 0;
  const counts = { indexed: 0, already: 0, missing: 0 };

  const table = await dynamo().send(new DescribeTableCommand({ TableName: tableName }));
  const bar = new cliProgress.SingleBar(
    { format: "backfill |{bar}| {value}/{total} items scanned | {indexed} indexed, {already} already done | {eta_formatted} left", etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(table.Table?.ItemCount ?? 0, scanned), scanned, counts);
  if (resume) console.error(`Resuming after ${scanned} scanned items (${statePath}).`);

  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName,
        ExclusiveStartKey: startKey,
        Limit: Number(values["page-size"]),
        FilterExpression: "#entity = :user AND attribute_not_exists(indexVersion)",
        ExpressionAttributeNames: { "#entity": "__edb_e__" },
        ExpressionAttributeValues: { ":user": "user" },
        ProjectionExpression: "userId",
      }),
    );
    const ids = (page.Items ?? []).map((item) => item.userId as string);
    for (let i = 0; i < ids.length; i += CONCURRENCY) {
      const outcomes = await Promise.all(
        ids.slice(i, i + CONCURRENCY).map((userId) =>
          withContext({ actor: { kind: "system", name: "backfill-search" } }, () => User.indexStoredUser(userId)),
        ),
      );
      for (const outcome of outcomes) counts[outcome] += 1;
    }
    scanned += page.ScannedCount ?? 0;
    startKey = page.LastEvaluatedKey;
    mkdirSync(dirname(statePath), { recursive: true });
    writeFileSync(statePath, JSON.stringify({ table: tableName, startKey, scanned }));
    bar.setTotal(Math.max(bar.getTotal(), scanned));
    bar.update(scanned, counts);
  } while (startKey);

  bar.stop();
  rmSync(statePath, { force: true });
  console.log(`backfill done: indexed ${counts.indexed}, already done ${counts.already}, ${scanned} items scanned in ${tableName}.`);
}

main().catch((error: Error) => {
  console.error(`backfill: ${error.message}`);
  process.exit(1);
});
