import { spawn } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { claimPort } from "../src/local/dynamodb-local.ts";
import { checkResponsesOf } from "./helpers/checked-responses.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const startScript = join(root, "packages/api/src/local/start.ts");

/** Runs `npm start`'s script as a person would, collecting its output. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", startScript, ...args], {
    cwd: root,
    env: { ...process.env, DYNAMODB_ENDPOINT: "", TABLE_NAME: "users-service", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const waitFor = async (text: string, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never printed "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

const freePort = () => claimPort(0, "test", "");

describe("npm start", () => {
  it("runs DynamoDB Local and the API, and Ctrl-C stops both", async () => {
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const run = start(["--in-memory"], { PORT: String(port), DYNAMODB_PORT: String(dynamoPort) });
    await run.waitFor("Press Ctrl-C");
    expect(run.output()).toContain(`http://localhost:${port}/docs`);
    const check = checkResponsesOf(`http://127.0.0.1:${port}`);
    const created = await fetch(`http://127.0.0.1:${port}/v1/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "start@example.com", password: "long enough", firstName: "S", lastName: "T" }),
    });
    expect(created.status).toBe(201);
    check.finish();
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    // Both ports are free again: nothing was left behind.
    await expect(claimPort(port, "api", "")).resolves.toBe(port);
    await expect(claimPort(dynamoPort, "dynamodb", "")).resolves.toBe(dynamoPort);
  }, 90_000);

  it("with the port taken, exits with one line saying what to do", async () => {
    const server: Server = createServer();
    const port = await new Promise<number>((done) => server.listen(0, "127.0.0.1", () => done((server.address() as { port: number }).port)));
    try {
      const run = start([], { PORT: String(port) });
      expect(await run.exited).toBe(1);
      const lines = run.output().trim().split("\n").filter((line) => !line.includes("Warning"));
      expect(lines).toEqual([`Cannot start: Port ${port} (the API) is already in use: stop what uses it, or set PORT to another port.`]);
    } finally {
      server.close();
    }
  });

  it("without Java, exits with one line saying what to install", async () => {
    const bin = mkdtempSync(join(tmpdir(), "no-java-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const run = start(["--in-memory"], { PATH: bin, PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^Cannot start: Java was not found: DynamoDB Local needs Java 17 or newer\..*DYNAMODB_ENDPOINT/);
    expect(run.output().trim().split("\n")).toHaveLength(1);
  });
});
