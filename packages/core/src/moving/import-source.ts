import { createReadStream, statSync, type ReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse as parseCsv } from "csv-parse";
import streamArray from "stream-json/streamers/stream-array.js";
import type { ImportFormat } from "./import-record.ts";

/** One record of an import file: its position, and its value or why it could not be read. */
export interface SourceRecord {
  /** 0-based position among the file's records: what the checkpoint counts. */
  index: number;
  /** 1-based line in the file where it starts (NDJSON, CSV); Auth0's array has entries, not lines. */
  line?: number;
  value?: unknown;
  error?: string;
}

/** An import file read as a stream of records, in constant memory, with how far into the file it is. */
export interface ImportSource {
  records: AsyncIterable<SourceRecord>;
  /** Bytes of the file up to the last record handed out (NDJSON, CSV), or read so far (Auth0's array). */
  bytesRead(): number;
  totalBytes: number;
  close(): void;
}

/** How far the records handed out reach into the file (the reader itself runs ahead of them). */
interface Position {
  bytes: number;
}

async function* ndjsonRecords(stream: ReadStream, position: Position): AsyncGenerator<SourceRecord> {
  let line = 0;
  let index = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line += 1;
    position.bytes += Buffer.byteLength(text, "utf8") + 1;
    if (text.trim() === "") continue;
    try {
      yield { index, line, value: JSON.parse(text) };
    } catch {
      yield { index, line, error: "is not valid JSON" };
    }
    index += 1;
  }
}

async function* auth0Records(stream: ReadStream): AsyncGenerator<SourceRecord> {
  // stream-json parses the array token by token and hands over one entry at a time.
  const entries = stream.pipe(streamArray.withParserAsStream());
  stream.on("error", (error) => entries.destroy(error));
  for await (const { key, value } of entries as AsyncIterable<{ key: number; value: unknown }>) {
    yield { index: key, value };
  }
}

async function* cognitoRecords(stream: ReadStream, position: Position): AsyncGenerator<SourceRecord> {
  const parser = stream.pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }),
  );
  stream.on("error", (error) => parser.destroy(error));
  let index = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
    position.bytes = info.bytes;
    yield { index, line: info.lines, value: record };
    index += 1;
  }
}

export function openImportSource(file: string, format: ImportFormat): ImportSource {
  const totalBytes = statSync(file).size;
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const position: Position = { bytes: 0 };
  const records =
    format === "auth0" ? auth0Records(stream) : format === "cognito-csv" ? cognitoRecords(stream, position) : ndjsonRecords(stream, position);
  const bytesRead = () => (format === "auth0" ? stream.bytesRead : position.bytes);
  return { records, bytesRead, totalBytes, close: () => stream.destroy() };
}

/** The format a file's name suggests: .csv is Cognito's export, .json Auth0's array, else NDJSON. */
export function guessFormat(file: string): ImportFormat {
  if (/\.csv$/i.test(file)) return "cognito-csv";
  if (/\.json$/i.test(file)) return "auth0";
  return "ndjson";
}
