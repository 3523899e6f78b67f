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

/** Issue 19's goals, each read from this run's own rows (— where the run has no such row). */
export function formatGoals(
  rows: Row[],
  scaling: { users: number; page: string; row: Row }[],
  cold: ColdRow[] | undefined,
  loginScenario: string,
): string {
  const at16 = (scenario: string) => rows.find((r) => r.scenario === scenario && r.concurrency === 16);
  const largest = scaling.length ? Math.max(...scaling.map((s) => s.users)) : "the largest";
  const page = (name: string) => scaling.find((s) => s.page === name && s.users === largest)?.row;
  const api = cold?.find((c) => c.name.startsWith("api"));
  const p99Ratio = (r: Row | undefined) => (r?.floor && r.floor.p99 > 0 && r.api.ok > 0 ? r.api.p99 / r.floor.p99 : null);
  const goal = (figure: string, value: number | null | undefined, shown: string, met: (v: number) => boolean, goalText: string) => [
    figure,
    value === null || value === undefined ? "—" : shown,
    goalText,
    value === null || value === undefined ? "—" : met(value) ? "met" : "not met",
  ];
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(0)}%`);
  const rest = at16("REST get by id");
  const trpc = at16("tRPC get by id");
  // The sign-in row at the configured cost, whose floor is bare bcryptjs compares (the last of that name).
  const login = rows.filter((r) => r.scenario === loginScenario).at(-1);
  const lines = [
    goal("REST GET req/s ÷ floor, c=16", rest?.ratio, pct(rest?.ratio), (v) => v >= 0.85, "≥ 85%"),
    goal("tRPC GET req/s ÷ floor, c=16", trpc?.ratio, pct(trpc?.ratio), (v) => v >= 0.85, "≥ 85%"),
    goal("API CPU per REST GET, c=16", rest?.apiCpuMsPerReq, `${f(rest?.apiCpuMsPerReq, 2)} ms (the SDK alone, same reads: ${f(rest?.floorClientCpuMsPerOp, 2)} ms)`, (v) => v < 1, "< 1 ms"),
    goal("API CPU per tRPC GET, c=16", trpc?.apiCpuMsPerReq, `${f(trpc?.apiCpuMsPerReq, 2)} ms`, (v) => v < 1, "< 1 ms"),
    goal("REST GET p99 ÷ floor p99, c=16", p99Ratio(rest), f(p99Ratio(rest), 2), (v) => v <= 1.3, "≤ 1.3"),
    goal("tRPC GET p99 ÷ floor p99, c=16", p99Ratio(trpc), f(p99Ratio(trpc), 2), (v) => v <= 1.3, "≤ 1.3"),
    goal(`list page req/s ÷ floor (${largest} users)`, page("list scaling first")?.ratio, pct(page("list scaling first")?.ratio), (v) => v >= 0.85, "≥ 85%"),
    goal(`deep list page req/s ÷ floor (${largest} users)`, page("list scaling deep")?.ratio, pct(page("list scaling deep")?.ratio), (v) => v >= 0.85, "≥ 85%"),
    goal(`search page req/s ÷ floor (${largest} users)`, page("list scaling search")?.ratio, pct(page("list scaling search")?.ratio), (v) => v >= 0.85, "≥ 85%"),
    goal("login req/s ÷ bare bcryptjs compares, same cost", login?.ratio, pct(login?.ratio), (v) => v >= 0.9, "≥ 90%"),
    goal("API bundle loaded at a cold start, minified", api?.bytes, `${f(api ? api.bytes / 1024 : null, 0)} KiB`, (v) => v < 1024 * 1024, "< 1 MiB"),
    goal("API cold start, fresh process to first answer", api?.processToAnswerMs, `${f(api?.processToAnswerMs, 0)} ms (a one-line handler: ${f(cold?.find((c) => c.name.startsWith("minimal"))?.processToAnswerMs, 0)} ms; Hono, ElectroDB and the SDK alone: ${f(cold?.find((c) => c.name.startsWith("Hono, ElectroDB"))?.processToAnswerMs, 0)} ms)`, (v) => v < 300, "< 300 ms"),
  ];
  return table(["goal (issue 19)", "this run", "goal", ""], lines);
}
