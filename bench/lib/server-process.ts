/** Starts bench/server.ts in its own Node process and waits for its port. */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface ServerProcess {
  base: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL("../server.ts", import.meta.url));

export async function startServer(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", serverEntry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error("the API server did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`the API server exited during start-up (code ${code})`)));
    lines.on("line", (line) => {
      try {
        const { port } = JSON.parse(line) as { port?: number };
        if (port) {
          clearTimeout(timer);
          resolve(port);
        }
      } catch {
        // not the ready line
      }
    });
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.resume();
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(forced);
      }
    },
  };
}
