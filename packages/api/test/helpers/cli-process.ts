import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { config } from "@users/core";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

/** Runs one of packages/api/src/cli/*.ts against this test file's table and data-key master key. */
export function startCli(script: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  // node itself (not the tsx launcher, which would leave its own child running when killed).
  const child = spawn(process.execPath, ["--import", "tsx", `${root}packages/api/src/cli/${script}`, ...args], {
    cwd: root,
    // The test file's table and DynamoDB Local (configured in-process by test-setup.ts), as environment.
    env: { ...process.env, TABLE_NAME: config().tableName, DYNAMODB_ENDPOINT: config().dynamoEndpoint ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

export const runCli = (script: string, args: string[]) => startCli(script, args).done;
