import { createReadStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import type { ImportFormat } from "./import-record.ts";

export interface ImportTotals {
  imported: number;
  skipped: number;
  failed: number;
}

/**
 * Where an interrupted import stands: every record before `done` is finished (imported, skipped or
 * reported), and `totals` count those. Bound to the file (path, size, modification time) and format,
 * so it is never applied to another file.
 */
export interface ImportCheckpoint {
  file: string;
  size: number;
  mtimeMs: number;
  format: ImportFormat;
  done: number;
  totals: ImportTotals;
}

export function fileIdentity(file: string) {
  const stat = statSync(file);
  return { file: resolve(file), size: stat.size, mtimeMs: stat.mtimeMs };
}

export function readCheckpoint(path: string): ImportCheckpoint | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as ImportCheckpoint;
}

/** Written whole to a temporary file and renamed, so a kill leaves the old checkpoint or the new one. */
export function writeCheckpoint(path: string, checkpoint: ImportCheckpoint): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(checkpoint));
  renameSync(temporary, path);
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}

/** A failed record as the report file holds it: one JSON object a line. */
export interface FailedRecord {
  /** 1-based position of the record in the file (the n-th user). */
  record: number;
  line?: number;
  reason: string;
}

/**
 * On resume, the report keeps only failures before the checkpoint: records after it are read again and
 * would otherwise be reported twice. Streams the report, so a large one costs no memory.
 */
export async function trimReport(path: string, done: number): Promise<void> {
  if (!existsSync(path)) return;
  const temporary = `${path}.tmp`;
  const kept: string[] = [];
  writeFileSync(temporary, "");
  const flush = () => {
    if (kept.length > 0) writeFileSync(temporary, kept.join(""), { flag: "a" });
    kept.length = 0;
  };
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line) as FailedRecord;
    if (entry.record - 1 < done) kept.push(`${line}\n`);
    if (kept.length >= 1000) flush();
  }
  flush();
  renameSync(temporary, path);
}
