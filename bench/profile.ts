/**
 * `--profile <dir>`: for each hot scenario, a fresh API process under `node --cpu-prof`, a warm-up and a
 * measured run at 16 connections, then a clean exit (the profile is written then). The profile's
 * samples inside the measured run are summed by self time per function and per package, and divided by
 * the requests answered: microseconds of API CPU per request, by where they went.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { runHttp, type HttpLoad } from "./lib/load.ts";
import type { ServerProcess } from "./lib/server-process.ts";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  scenario: string;
  requests: number;
  rps: number;
  sampledMs: number;
  usPerRequest: { total: number; byPackage: [string, number][]; topFunctions: [string, number][] };
  file: string;
}

function bucketOf(url: string, fn: string): string {
  if (!url) return fn === "(garbage collector)" ? "(gc)" : fn === "(idle)" ? "(idle)" : fn === "(program)" ? "(program: native/runtime)" : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(packages\/[^/]+)\//.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith("node:")) return "node: core";
  return url.split("/").slice(-2).join("/");
}

export function summarizeProfile(file: string, fromUs: number, toUs: number) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < fromUs || t > toUs) continue;
    const next = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + next);
  }
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const bucket = bucketOf(url, functionName);
    byPackage.set(bucket, (byPackage.get(bucket) ?? 0) + us);
    const key = `${functionName || "(anonymous)"} ${bucket}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  return { byPackage, byFunction };
}

export async function profileScenarios(options: {
  dir: string;
  seconds: number;
  warmup: number;
  startServer: (nodeArgs: string[]) => Promise<ServerProcess>;
  scenarios: { name: string; load: () => Promise<() => HttpLoad> }[];
  log: (m: string) => void;
}): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const scenario of options.scenarios) {
    const dir = resolve(options.dir, scenario.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const server = await options.startServer(["--cpu-prof", "--cpu-prof-dir", dir]);
    const load = await scenario.load();
    await runHttp(server.base, load(), 16, Math.max(1, options.warmup));
    const from = Number(process.hrtime.bigint() / 1000n);
    const measured = await runHttp(server.base, load(), 16, options.seconds);
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!);
    const { byPackage, byFunction } = summarizeProfile(file, from, to);
    const n = Math.max(1, measured.ok);
    const idle = byPackage.get("(idle)") ?? 0;
    byPackage.delete("(idle)");
    const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
    const sorted = (m: Map<string, number>) => [...m].filter(([k]) => k !== "(idle) (idle)").sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / n] as [string, number]);
    out.push({
      scenario: scenario.name,
      requests: measured.ok,
      rps: measured.rps,
      sampledMs: total / 1000,
      usPerRequest: { total: total / n, byPackage: sorted(byPackage).slice(0, 15), topFunctions: sorted(byFunction).slice(0, 25) },
      file,
    });
    options.log(`profile ${scenario.name}: ${measured.rps.toFixed(0)} req/s, ${(total / n).toFixed(0)} µs CPU/req sampled (idle ${(idle / 1000).toFixed(0)} ms)`);
  }
  return out;
}
