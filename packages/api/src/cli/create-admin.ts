/**
 * `npm run create-admin -- --email you@example.com [--first-name Ada --last-name Lovelace] [--aws]`
 *
 * Creates an active admin directly in the table: the way to get the first one. The password is read
 * from a prompt (hidden), or from standard input when it is piped; never from the command line.
 * Locally it talks to the DynamoDB Local that `npm start` runs (DYNAMODB_ENDPOINT, else
 * http://127.0.0.1:<DYNAMODB_PORT, default 8000>) and wraps the admin's data key with the local master
 * key `npm start` keeps (MASTER_KEY, else DATA_DIR/master-key, default .data/); with --aws it uses your
 * AWS credentials, the stage's table (TABLE_NAME, or the link `npx sst shell --stage <stage>` provides)
 * and its KMS key (cli-table.ts).
 */
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { AppError, User, config, withContext } from "@users/core";
import { useTable } from "./cli-table.ts";

// The SDK warns that its releases after January 2027 need Node 22; the lockfile pins today's, which
// support Node 20, so the warning says nothing about this install.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function readHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
    muted = true;
  });
}

async function readPiped(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      "first-name": { type: "string", default: "Admin" },
      "last-name": { type: "string", default: "User" },
      aws: { type: "boolean", default: false },
    },
  });
  if (!values.email) throw new Error("--email is required: npm run create-admin -- --email you@example.com");
  // The table and the master key of users' data keys that `npm start` uses (or, with --aws, the stage's
  // table and KMS key): the new admin's data key must be one the service can unwrap.
  useTable(values.aws!);

  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden("Password for the new admin: ");
    if ((await readHidden("Again: ")) !== password) throw new Error("The passwords differ.");
  } else {
    password = await readPiped();
  }

  try {
    const user = await withContext({ actor: { kind: "system", name: "create-admin" } }, () =>
      User.create({
        email: values.email!,
        password,
        firstName: values["first-name"]!,
        lastName: values["last-name"]!,
        roles: ["admin"],
        status: "active",
      }),
    );
    console.log(`Admin ${user.email} created (userId ${user.userId}) in table ${config().tableName}.`);
  } catch (error) {
    if (error instanceof AppError) {
      const details = error.details.issues?.map((i) => `${i.path} ${i.message}`).join("; ");
      throw new Error(details ? `${error.message} ${details}` : error.message);
    }
    throw error;
  }
}

main().catch((error: Error) => {
  console.error(`create-admin: ${error.message}`);
  process.exit(1);
});
