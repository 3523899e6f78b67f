import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { User, config, withContext } from "@users/core";
import { expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

it("create-admin finds the DynamoDB Local that npm start runs on DYNAMODB_PORT", async () => {
  const port = new URL(inject("dynamoEndpoint")).port;
  const email = `admin.${Date.now()}@example.com`;
  const cli = spawn("npx", ["tsx", "packages/api/src/cli/create-admin.ts", "--email", email], {
    cwd: root,
    // No DYNAMODB_ENDPOINT: only the port npm start was given.
    env: { ...process.env, DYNAMODB_ENDPOINT: "", DYNAMODB_PORT: port, TABLE_NAME: config().tableName },
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
}, 120_000);
