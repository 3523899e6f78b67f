/** `tsx bench/render.ts <run.json>`: the markdown tables of a saved run (for docs/benchmark.md). */
import { readFileSync } from "node:fs";
import { formatCold, formatResults, formatScaling } from "./lib/report.ts";

const report = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const m = report.machine;
console.log(`Run ${report.date}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
  `warm-up ${report.options.warmupSeconds} s, ${report.options.durationSeconds} s per row.\n`);
console.log(formatResults(report.results));
if (report.listScaling?.length) console.log(`\n${formatScaling(report.listScaling)}`);
if (report.coldStart) console.log(`\n${formatCold(report.coldStart)}`);
for (const p of report.profile ?? []) {
  console.log(`\nProfile \`${p.scenario}\` (16 connections, ${p.rps.toFixed(0)} req/s under --cpu-prof): ${p.usPerRequest.total.toFixed(0)} µs sampled CPU per request`);
  console.log(`\n| where (package) | µs/req |\n|:--|--:|`);
  for (const [k, v] of p.usPerRequest.byPackage.slice(0, 12)) console.log(`| ${k} | ${v.toFixed(0)} |`);
  console.log(`\n| hottest functions (self time) | µs/req |\n|:--|--:|`);
  for (const [k, v] of p.usPerRequest.topFunctions.slice(0, 12)) console.log(`| \`${k.replace(/\|/g, "\\|")}\` | ${v.toFixed(0)} |`);
}
