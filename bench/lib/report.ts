/** The printed tables (the JSON report holds the same numbers, unrounded). */
import type { Measured } from "./load.ts";

/** One measured scenario: the API and, where there is one, its DynamoDB floor. */
export interface Row {
  scenario: string;
  concurrency: number;
  api: Measured;
  apiCpuMsPerReq: number | null;
  ddbCpuMsPerReq: number | null;
  loadGenCpuMsPerReq: number;
  floor: Measured | null;
  floorDdbCpuMsPerOp: number | null;
  /** The floor's own client CPU per op (the runner's process: SDK calls, or bcryptjs); older runs have none. */
  floorClientCpuMsPerOp?: number | null;
  ratio: number | null;
  note?: string;
}

const f = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : value.toFixed(digits);

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [row(header), `|${widths.map((w, i) => (i === 0 ? ":" : "-").padEnd(w + 1, "-") + (i === 0 ? "-" : ":")).join("|")}|`, ...lines.map(row)].join("\n");
}

export function formatResults(rows: Row[]): string {
  const notes = [...new Map(rows.filter((r) => r.note).map((r) => [r.scenario, r.note!])).entries()];
  const results = table(
    ["scenario", "conc", "req/s", "p50 ms", "p95 ms", "p99 ms", "API CPU ms/req", "DDB CPU ms/req", "floor op/s", "floor p99 ms", "floor client CPU ms/op", "÷ floor", "p99 ÷ floor p99", "failed"],
    rows.map((r) => [
      r.scenario,
      String(r.concurrency),
      f(r.api.rps, 0),
      f(r.api.p50, 2),
      f(r.api.p95, 2),
      f(r.api.p99, 2),
      f(r.apiCpuMsPerReq, 2),
      f(r.ddbCpuMsPerReq, 2),
      f(r.floor?.rps, 0),
      f(r.floor?.p99, 2),
      f(r.floorClientCpuMsPerOp, 2),
      r.ratio === null ? "—" : `${(r.ratio * 100).toFixed(0)}%`,
      r.floor && r.floor.p99 > 0 && r.api.ok > 0 ? f(r.api.p99 / r.floor.p99, 2) : "—",
      String(r.api.failed),
    ]),
  );
  return notes.length ? `${results}\n\n${notes.map(([scenario, note]) => `- ${scenario}: ${note}`).join("\n")}` : results;
}

export function formatScaling(scaling: { users: number; page: string; row: Row }[]): string {
  const sizes = [...new Set(scaling.map((s) => s.users))].sort((a, b) => a - b);
  const small = sizes[0];
  const large = sizes.at(-1);
  const lines = [...new Set(scaling.map((s) => s.page))].flatMap((page) => {
    const at = (users: number | undefined) => scaling.find((s) => s.page === page && s.users === users)?.row;
    const a = at(small);
    const b = at(large);
    if (!a || !b) return [];
    return [
      [
        `${page} (conc ${a.concurrency})`,
        `${f(a.api.p50, 2)} / ${f(b.api.p50, 2)}`,
        `${f(a.api.p99, 2)} / ${f(b.api.p99, 2)}`,
        `${f(a.api.rps, 0)} / ${f(b.api.rps, 0)}`,
        `${f(a.apiCpuMsPerReq, 2)} / ${f(b.apiCpuMsPerReq, 2)}`,
        `${f(a.floor?.p50, 2)} / ${f(b.floor?.p50, 2)}`,
        f(b.api.p50 / a.api.p50, 2),
        f(a.api.rps / b.api.rps, 2),
        f(a.floor && b.floor ? a.floor.rps / b.floor.rps : null, 2),
      ],
    ];
  });
  return table(
    [
      `list scaling: ${small} / ${large} users`,
      "p50 ms",
      "p99 ms",
      "req/s",
      "API CPU ms/req",
      "floor p50 ms",
      "p50 ×",
      "cost × (req/s)",
      "floor cost ×",
    ],
    lines,
  );
}

export interface ColdRow {
  name: string;
  /** What a cold start loads: the entry and its static chunks. */
  bytes: number;
  /** Every chunk, those loaded on first use too (older saved runs have none). */
  totalBytes?: number;
  sourceMapBytes: number;
  loadMs: number;
  firstCallMs: number;
  processToAnswerMs: number;
  withSourceMapsMs: number;
  ok: boolean;
  note?: string;
}

export function formatCold(rows: ColdRow[]): string {
  return table(
    ["cold start (median of 5)", "loaded KiB", "all chunks KiB", "map KiB", "import ms", "first call ms", "spawn → answer ms", "same, --enable-source-maps", "answered"],
    rows.map((r) => [
      r.name,
      f(r.bytes / 1024, 0),
      r.totalBytes === undefined ? "—" : f(r.totalBytes / 1024, 0),
      f(r.sourceMapBytes / 1024, 0),
      f(r.loadMs, 0),
      f(r.firstCallMs, 0),
      f(r.processToAnswerMs, 0),
      f(r.withSourceMapsMs, 0),
      r.ok ? "yes" : `no${r.note ? `: ${r.note}` : ""}`,
    ]),
  );
}
