import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** The processes of a process group (the group `npm start` leads when spawned detached). */
function processGroup(pgid: number): string[] {
  const ps = spawnSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group]) => Number(group) === pgid)
    .map((fields) => fields.slice(2).join(" "));
}

it("stops everything it started on SIGTERM to npm, as on Ctrl-C", async () => {
  const npm = spawn("npm", ["start", "--", "--in-memory", "--api-only"], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: "0", DYNAMODB_PORT: "0", DYNAMODB_ENDPOINT: "", TABLE_NAME: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = npm.pid!;
  try {
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Press Ctrl-C to stop.")) resolve();
      };
      npm.stdout!.on("data", read);
      npm.stderr!.on("data", read);
      npm.once("exit", (code) => reject(new Error(`npm start exited (${code}): ${output}`)));
    });
    expect(processGroup(pgid).some((args) => args.startsWith("java "))).toBe(true);

    process.kill(npm.pid!, "SIGTERM");
    const deadline = Date.now() + 20_000;
    while (processGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(processGroup(pgid)).toEqual([]);
  } finally {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}, 180_000);
