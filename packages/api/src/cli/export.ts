/**
 * `npm run export -- [--out file] [--status s] [--include-password-hashes] [--aws]`
 *
 * Every user as NDJSON, one User a line (to standard output, or --out), in constant memory: it pages
 * through the list index. Progress goes to standard error. Password hashes only with
 * --include-password-hashes (then guard the file as you would the table).
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { User } from "@users/core";
import { exportUsers } from "@users/core/moving/index";
import { useTable } from "./cli-table.ts";

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      status: { type: "string" },
      "include-password-hashes": { type: "boolean", default: false },
      aws: { type: "boolean", default: false },
    },
  });
  useTable(values.aws);
  const status = values.status === undefined ? undefined : User.Status.parse(values.status);
  if (values["include-password-hashes"]) {
    console.error("Warning: the export holds password hashes. Keep the file as safe as the table, and delete it once imported.");
  }
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  let count = 0;
  let lastLine = Date.now();
  const started = Date.now();
  for await (const user of exportUsers({ status, includePasswordHashes: values["include-password-hashes"] })) {
    if (!out.write(`${JSON.stringify(user)}\n`)) await once(out, "drain");
    count += 1;
    if (Date.now() - lastLine >= 2000) {
      lastLine = Date.now();
      console.error(`${count} users, ${Math.round(count / ((Date.now() - started) / 1000))}/s`);
    }
  }
  if (values.out) {
    out.end();
    await once(out, "finish");
  }
  console.error(`exported ${count} users${values.out ? ` to ${values.out}` : ""}`);
}

main().catch((error: Error) => {
  console.error(`export: ${error.message}`);
  process.exit(1);
});
