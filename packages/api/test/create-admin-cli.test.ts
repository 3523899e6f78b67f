import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { User, config, withContext } from "@users/core";
import { expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

it("create-admin finds the DynamoDB Local and the master key that npm start uses, and the admin can sign in", async () => {
  const port = new URL(inject("dynamoEndpoint")).port;
  const email = `admin.${Date.now()}@example.com`;
  // npm start keeps the local master key in DATA_DIR/master-key; this process runs with that same key.
  const dataDir = mkdtempSync(join(tmpdir(), "create-admin-"));
  writeFileSync(join(dataDir, "master-key"), `${process.env.MASTER_KEY}\n`, { mode: 0o600 });
  const cli = spawn("npx", ["tsx", "packages/api/src/cli/create-admin.ts", "--email", email], {
    cwd: root,
    // No DYNAMODB_ENDPOINT and no MASTER_KEY: only the port and the data folder npm start was given.
    env: { ...process.env, DYNAMODB_ENDPOINT: "", DYNAMODB_PORT: port, TABLE_NAME: config().tableName, MASTER_KEY: "", DATA_DIR: dataDir },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  cli.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  cli.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  cli.stdin.end("correct horse battery\n");
  const code = await new Promise<number | null>((resolve) => cli.once("exit", resolve));
  expect(code, output).toBe(0);
  expect(output).toContain(`Admin ${email} created`);

  const found = await withContext({ actor: { kind: "system", name: "test" } }, () => User.list({ email }));
  expect(found.items.map((user) => [user.email, user.roles])).toEqual([[email, ["admin"]]]);
  // Signing in seals an audit event with the admin's data key: it fails if the CLI wrapped that key
  // with a master key other than the one the service has.
  const signedIn = await withContext({ actor: { kind: "anonymous" }, sourceIp: "127.0.0.9" }, () =>
    User.login({ email, password: "correct horse battery" }),
  );
  expect(signedIn).toMatchObject({ accessToken: expect.any(String) });
}, 120_000);
