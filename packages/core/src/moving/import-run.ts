import { appendFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors.ts";
import {
  fileIdentity,
  readCheckpoint,
  removeCheckpoint,
  trimReport,
  writeCheckpoint,
  type FailedRecord,
  type ImportCheckpoint,
  type ImportTotals,
} from "./import-checkpoint.ts";
import { toImportUser, type ImportFormat } from "./import-record.ts";
import { openImportSource } from "./import-source.ts";
import { groupInserter } from "./group-insert.ts";
import { importUser, type ImportOutcome } from "./import-user.ts";

export interface ImportProgress extends ImportTotals {
  /** Records finished, those of a resumed run's earlier part included. */
  processed: number;
  bytesRead: number;
  totalBytes: number;
  /** Records per second in this run. */
  rate: number;
  /** Estimated records in the file (from the bytes per record read so far); null before the first. */
  recordsInFile: number | null;
  /** Estimated seconds left; null until there is a rate. */
  secondsLeft: number | null;
}

export interface ImportOptions {
  file: string;
  format: ImportFormat;
  dryRun?: boolean;
  /** Users in flight at once (written several to a transaction); default 32. */
  concurrency?: number;
  /** Users written in one transaction at most; default 8 (about 80 items); 1 writes each alone. */
  groupSize?: number;
  /** Default `<file>.checkpoint.json`; not written in a dry run. */
  checkpointFile?: string;
  /** Default `<file>.failed.ndjson`: each failed record's number, line and reason. */
  reportFile?: string;
  /** Called about twice a second and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  /** Stops reading; what is in flight finishes and the checkpoint is saved (resume by running again). */
  signal?: AbortSignal;
}

export interface ImportResult extends ImportTotals {
  /** True when the whole file was read; false when stopped by the signal (resumable). */
  complete: boolean;
  resumedFrom: number;
  reportFile: string;
  checkpointFile: string;
}

const CHECKPOINT_EVERY_MS = 1_000;
/** Attempts per user when the store fails for a reason of its own (throttling, a lock, the network). */
const STORE_ATTEMPTS = 10;

/**
 * A user's import, retried with jittered backoff while the store fails transiently (STORE_UNAVAILABLE
 * included). A domain refusal (a taken username) is the record's answer and is not retried.
 */
async function importWithRetries(run: () => Promise<ImportOutcome>): Promise<ImportOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const refused = error instanceof AppError && error.code !== "STORE_UNAVAILABLE";
      if (refused || attempt >= STORE_ATTEMPTS) throw error;
      await sleep(Math.random() * Math.min(5_000, 100 * 2 ** attempt));
    }
  }
}
const PROGRESS_EVERY_MS = 500;

/**
 * Imports a file of users: records are streamed (constant memory), written `concurrency` at a time,
 * each user in its own transaction with its uniqueness claims. A checkpoint of the position below which
 * every record is finished is saved every second, so a killed run resumes where it was; users already
 * there are skipped, never duplicated.
 */
export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const { file, format, dryRun = false, concurrency = 32, signal } = options;
  const checkpointFile = options.checkpointFile ?? `${file}.checkpoint.json`;
  const reportFile = options.reportFile ?? `${file}.failed.ndjson`;
  const identity = { ...fileIdentity(file), format };

  const saved = dryRun ? null : readCheckpoint(checkpointFile);
  if (saved && (saved.file !== identity.file || saved.size !== identity.size || saved.mtimeMs !== identity.mtimeMs || saved.format !== format)) {
    throw new Error(`${checkpointFile} belongs to another file or format; remove it to start over.`);
  }
  const resumedFrom = saved?.done ?? 0;
  if (saved) await trimReport(reportFile, resumedFrom);
  else writeFileSync(reportFile, "");

  // Totals of records below the mark, and outcomes of records finished above it.
  const committed: ImportTotals = { ...(saved?.totals ?? { imported: 0, skipped: 0, failed: 0 }) };
  const finishedAbove = new Map<number, keyof ImportTotals>();
  const inFlight = new Set<number>();
  let mark = resumedFrom;
  let nextIndex = resumedFrom;
  const running: ImportTotals = { imported: 0, skipped: 0, failed: 0 };

  const advanceMark = () => {
    const lowest = inFlight.size > 0 ? Math.min(...inFlight) : nextIndex;
    while (mark < lowest) {
      const outcome = finishedAbove.get(mark);
      if (outcome) committed[outcome] += 1;
      finishedAbove.delete(mark);
      mark += 1;
    }
  };
  const saveCheckpoint = () => {
    if (dryRun) return;
    advanceMark();
    const checkpoint: ImportCheckpoint = { ...identity, done: mark, totals: committed };
    writeCheckpoint(checkpointFile, checkpoint);
  };
  const fail = (entry: FailedRecord) => appendFileSync(reportFile, `${JSON.stringify(entry)}\n`);

  // The users in flight go out several to a transaction, a few transactions at a time.
  const groupSize = Math.min(options.groupSize ?? 8, concurrency);
  const insert = groupInserter({ inFlight: Math.ceil(concurrency / groupSize), groupSize });
  const source = openImportSource(file, format);
  const started = Date.now();
  const progress = (): ImportProgress => {
    const elapsed = (Date.now() - started) / 1000;
    const thisRun = running.imported + running.skipped + running.failed;
    const rate = elapsed > 0 ? thisRun / elapsed : 0;
    const bytesRead = source.bytesRead();
    // The reader runs ahead of the writes: estimate the file's records from the bytes per record read.
    const recordsInFile = nextIndex > 0 && bytesRead > 0 ? Math.max(nextIndex, Math.round((source.totalBytes * nextIndex) / bytesRead)) : null;
    const processed = resumedFrom + thisRun;
    return {
      imported: (saved?.totals.imported ?? 0) + running.imported,
      skipped: (saved?.totals.skipped ?? 0) + running.skipped,
      failed: (saved?.totals.failed ?? 0) + running.failed,
      processed,
      bytesRead,
      totalBytes: source.totalBytes,
      recordsInFile,
      rate,
      secondsLeft: rate > 0 && recordsInFile !== null ? Math.max(0, recordsInFile - processed) / rate : null,
    };
  };
  const timers = [
    setInterval(saveCheckpoint, CHECKPOINT_EVERY_MS),
    setInterval(() => options.onProgress?.(progress()), PROGRESS_EVERY_MS),
  ];

  const record = (index: number, outcome: keyof ImportTotals) => {
    running[outcome] += 1;
    finishedAbove.set(index, outcome);
    inFlight.delete(index);
  };

  async function handle(index: number, line: number | undefined, value: unknown, readError: string | undefined) {
    const where = { record: index + 1, ...(line !== undefined ? { line } : {}) };
    if (readError) {
      fail({ ...where, reason: readError });
      return record(index, "failed");
    }
    const parsed = toImportUser(format, value);
    if (!parsed.ok) {
      fail({ ...where, reason: parsed.reason });
      return record(index, "failed");
    }
    let outcome: ImportOutcome;
    try {
      outcome = await importWithRetries(() => importUser(parsed.user, { dryRun, insert }));
    } catch (error) {
      const reason = error instanceof AppError ? `${error.code}: ${error.message}` : `error: ${(error as Error).message}`;
      fail({ ...where, reason });
      return record(index, "failed");
    }
    record(index, outcome);
  }

  // A simple pool: at most `concurrency` users in flight; reading waits for a free slot.
  const slots = new Set<Promise<void>>();
  let complete = true;
  let readFailure: unknown;
  try {
    for await (const item of source.records) {
      if (signal?.aborted) {
        complete = false;
        break;
      }
      if (item.index < resumedFrom) continue;
      nextIndex = item.index + 1;
      inFlight.add(item.index);
      const task = handle(item.index, item.line, item.value, item.error).finally(() => slots.delete(task));
      slots.add(task);
      if (slots.size >= concurrency) await Promise.race(slots);
    }
  } catch (error) {
    // The file itself cannot be read on (a JSON array broken midway): stop, keep the checkpoint.
    readFailure = error;
    complete = false;
  } finally {
    source.close();
  }
  await Promise.all(slots);
  timers.forEach(clearInterval);
  saveCheckpoint();
  const final = progress();
  options.onProgress?.(final);
  if (readFailure) {
    throw new Error(`Reading ${file} failed after record ${mark}: ${(readFailure as Error).message}`, { cause: readFailure });
  }
  if (complete && !dryRun) removeCheckpoint(checkpointFile);
  return {
    imported: final.imported,
    skipped: final.skipped,
    failed: final.failed,
    complete,
    resumedFrom,
    reportFile,
    checkpointFile,
  };
}
