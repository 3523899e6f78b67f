import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { setTimeout as sleep } from "node:timers/promises";
import type { AuditEvent } from "../audit/index.ts";
import { awsClientDeadlines } from "../aws-deadlines.ts";
import { config, readConfig } from "../config.ts";
import { traced } from "../observability/tracer.ts";
import { EVENT_SOURCE } from "./wiring.ts";

/**
 * The EventBridge bus audit events are published to; unset means "no real bus" (local dispatch). Read
 * from the environment on each call (cheap; the relay handler and its tests set it per invocation).
 */
export function eventBusName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return readConfig(env).eventBusName;
}

/** EventBridge's PutEvents limits: entries per request, and bytes per request (as EventBridge counts them). */
export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * Whatever accepts a PutEvents request: EventBridge itself, or the local bus of `npm start`, which
 * answers the same way (per-entry `ErrorCode`s and a `FailedEntryCount`).
 */
export interface PutEventsSender {
  putEvents(input: PutEventsCommandInput): Promise<Pick<PutEventsCommandOutput, "FailedEntryCount" | "Entries">>;
}

/** A sender backed by EventBridge (the SDK's own retries handle throttled or failed calls first). */
export function eventBridgeSender(client?: EventBridgeClient): PutEventsSender {
  const eventBridge = client ?? traced(new EventBridgeClient({ region: config().region, ...awsClientDeadlines() }));
  return { putEvents: (input) => eventBridge.send(new PutEventsCommand(input)) };
}

/** The PutEvents entry for one audit event. */
export function toEntry(event: AuditEvent, eventBusName: string): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurredAt),
    EventBusName: eventBusName,
  };
}

const utf8Length = (value: string | undefined) => (value ? Buffer.byteLength(value, "utf8") : 0);

/**
 * An entry's size as EventBridge counts it against the 256 KB request limit: Source, DetailType and
 * Detail in UTF-8 bytes, 14 bytes for a Time, plus each resource ARN. (The bus name does not count.)
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += utf8Length(entry.Source) + utf8Length(entry.DetailType) + utf8Length(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8Length(resource);
  return size;
}

/**
 * Splits items into PutEvents requests, in order: at most 10 entries and 256 KB each. An item that
 * alone exceeds 256 KB gets a request of its own (EventBridge will refuse it, which surfaces as a failure).
 */
export function chunkEntries<T>(items: T[], sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === MAX_ENTRIES_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface FailedEvent {
  event: AuditEvent;
  errorCode: string;
  errorMessage: string;
  attempts: number;
}

export interface PublishResult {
  published: AuditEvent[];
  /** Events still not accepted after every attempt; the caller must not treat them as delivered. */
  failed: FailedEvent[];
}

export interface Publisher {
  publish(events: AuditEvent[]): Promise<PublishResult>;
}

export interface PublisherOptions {
  sender: PutEventsSender;
  eventBusName: string;
  /** Attempts per entry, the first included (default 5). */
  maxAttempts?: number;
  /** Backoff: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)) ("full jitter"). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

/** Errors thrown by a whole call that another attempt may cure (throttling, 5xx, network). */
function isRetryableCallError(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $fault?: string; name?: string; code?: string };
  if (e.$retryable) return true;
  if (e.$fault === "server") return true;
  if (e.name && /Throttl|Timeout|InternalFailure|InternalException|ServiceUnavailable/i.test(e.name)) return true;
  // Network errors have no $metadata from the service.
  return !(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * Publishes audit events with PutEvents: batched at EventBridge's limits; entries that fail inside a
 * successful call (`FailedEntryCount > 0`), and calls that fail retryably, are retried with exponential
 * backoff and full jitter up to `maxAttempts`. What still fails is returned in `failed` — never dropped.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;

  type Pending = { event: AuditEvent; entry: PutEventsRequestEntry; size: number };

  async function publish(events: AuditEvent[]): Promise<PublishResult> {
    const published: AuditEvent[] = [];
    const failed: FailedEvent[] = [];
    let pending: Pending[] = events.map((event) => {
      const entry = toEntry(event, options.eventBusName);
      return { event, entry, size: entrySize(entry) };
    });
    let lastError = new Map<Pending, { code: string; message: string }>();

    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) await wait(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2)));
      const retry: Pending[] = [];
      const errors = new Map<Pending, { code: string; message: string }>();
      for (const chunk of chunkEntries(pending, (p) => p.size)) {
        let result;
        try {
          result = await options.sender.putEvents({ Entries: chunk.map((p) => p.entry) });
        } catch (error) {
          const code = (error as Error).name || "Error";
          const message = (error as Error).message ?? String(error);
          if (!isRetryableCallError(error)) {
            // Retrying cannot help (malformed request, no permission): these fail now.
            for (const p of chunk) failed.push({ event: p.event, errorCode: code, errorMessage: message, attempts: attempt });
            continue;
          }
          for (const p of chunk) {
            retry.push(p);
            errors.set(p, { code, message });
          }
          continue;
        }
        const results = result.Entries ?? [];
        const anyFailed = (result.FailedEntryCount ?? 0) > 0;
        chunk.forEach((p, index) => {
          const entryResult = results[index];
          // A result without an EventId is not an acceptance, whatever FailedEntryCount says.
          if (entryResult?.EventId && !entryResult.ErrorCode) {
            published.push(p.event);
          } else {
            retry.push(p);
            errors.set(p, {
              code: entryResult?.ErrorCode ?? (anyFailed ? "UnknownEntryError" : "MissingEntryResult"),
              message: entryResult?.ErrorMessage ?? "EventBridge returned no result for this entry",
            });
          }
        });
      }
      pending = retry;
      lastError = errors;
    }
    for (const p of pending) {
      const error = lastError.get(p)!;
      failed.push({ event: p.event, errorCode: error.code, errorMessage: error.message, attempts: maxAttempts });
    }
    return { published, failed };
  }

  return { publish };
}
