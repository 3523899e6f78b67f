import { randomUUID } from "node:crypto";
import type { PutEventsCommandInput, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { config } from "@users/core";
import { entrySize, MAX_ENTRIES_PER_REQUEST, MAX_REQUEST_BYTES, type AuditEvent, type PutEventsSender } from "@users/core/events/index";

/**
 * The event a rule's target receives, as EventBridge delivers it (the shape of aws-lambda's
 * `EventBridgeEvent`): the published `Detail` parsed into `detail`.
 */
export interface BusEvent<TDetailType extends string = string, TDetail = unknown> {
  version: "0";
  /** Assigned by the bus per PutEvents entry: a republished event gets a new one, so dedupe on detail.eventId. */
  id: string;
  "detail-type": TDetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

/**
 * A rule's event pattern, with EventBridge's semantics: every field named must match; a list of values
 * matches when the event's value (or, for an array, any of its elements) equals one of them, or matches a
 * `{ prefix }`, `{ "anything-but" }` or `{ exists }` filter; a nested object matches nested fields.
 * Fields the pattern does not name are ignored.
 */
export type EventPattern = { [field: string]: PatternValue[] | EventPattern };
type PatternValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { "anything-but": string | number | (string | number)[] }
  | { exists: boolean };

function matchesValue(filter: PatternValue, value: unknown): boolean {
  if (filter === null || typeof filter !== "object") return value === filter;
  if ("prefix" in filter) return typeof value === "string" && value.startsWith(filter.prefix);
  if ("anything-but" in filter) {
    const excluded = ([] as unknown[]).concat(filter["anything-but"]);
    return value !== undefined && !excluded.includes(value);
  }
  if ("exists" in filter) return filter.exists ? value !== undefined : value === undefined;
  return false;
}

function matchesField(filters: PatternValue[], value: unknown): boolean {
  if (filters.some((f) => f !== null && typeof f === "object" && "exists" in f)) {
    return filters.some((f) => matchesValue(f, value));
  }
  if (value === undefined) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => filters.some((f) => matchesValue(f, v)));
}

/** True when the event matches the pattern (EventBridge rule semantics, see `EventPattern`). */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const record = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) =>
    Array.isArray(expected)
      ? matchesField(expected, record[field])
      : typeof record[field] === "object" && record[field] !== null && matchesPattern(expected, record[field]),
  );
}

function assertValidPattern(pattern: EventPattern): void {
  if (Object.keys(pattern).length === 0) throw new Error("An event pattern must name at least one field");
  for (const [field, expected] of Object.entries(pattern)) {
    if (Array.isArray(expected)) {
      if (expected.length === 0) throw new Error(`Event pattern field "${field}" must list at least one value`);
    } else {
      assertValidPattern(expected);
    }
  }
}

export interface Subscriber {
  /** For logs and failure messages (like a rule's name). */
  name: string;
  pattern: EventPattern;
  handler: (event: BusEvent<any, any>) => Promise<unknown> | unknown;
}

/**
 * An in-process stand-in for an EventBridge bus and its rules: `putEvents` takes the same request as
 * PutEvents, applies the same limits, and delivers each entry to every subscriber whose pattern matches.
 * Where EventBridge would retry a failing target for up to a day, the local bus reports the entry as
 * failed, so the publisher retries it and, failing that, the relay does not checkpoint it: a subscriber
 * sees each event at least once, and can see it again (deduplicate on `detail.eventId`).
 */
export class LocalEventBus implements PutEventsSender {
  readonly #subscribers: Subscriber[] = [];
  readonly #busName: string;

  constructor(options: { busName?: string } = {}) {
    this.#busName = options.busName ?? "local";
  }

  get busName(): string {
    return this.#busName;
  }

  /** Adds a subscriber; returns a function that removes it. */
  subscribe(subscriber: Subscriber): () => void {
    assertValidPattern(subscriber.pattern);
    this.#subscribers.push(subscriber);
    return () => {
      const index = this.#subscribers.indexOf(subscriber);
      if (index >= 0) this.#subscribers.splice(index, 1);
    };
  }

  /** Delivers one event to every matching subscriber; rejects with the failures if any subscriber threw. */
  async dispatch(event: BusEvent): Promise<void> {
    const targets = this.#subscribers.filter((s) => matchesPattern(s.pattern, event));
    const outcomes = await Promise.allSettled(targets.map(async (s) => s.handler(event)));
    const failures = outcomes.flatMap((outcome, index) =>
      outcome.status === "rejected" ? [`${targets[index]!.name}: ${(outcome.reason as Error)?.message ?? outcome.reason}`] : [],
    );
    if (failures.length > 0) throw new Error(`Subscriber failed: ${failures.join("; ")}`);
  }

  async putEvents(input: PutEventsCommandInput) {
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > MAX_ENTRIES_PER_REQUEST) {
      throw Object.assign(new Error(`PutEvents takes 1 to ${MAX_ENTRIES_PER_REQUEST} entries, got ${entries.length}`), {
        name: "ValidationException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const bytes = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
    if (bytes > MAX_REQUEST_BYTES) {
      throw Object.assign(new Error(`Total size of the entries in the request is over the limit (${bytes} bytes)`), {
        name: "ValidationException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      if (entry.EventBusName && entry.EventBusName !== this.#busName) {
        results.push({ ErrorCode: "InvalidArgument", ErrorMessage: `No bus named ${entry.EventBusName}` });
        continue;
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail ?? "");
      } catch {
        results.push({ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is not valid JSON" });
        continue;
      }
      if (!entry.Source || !entry.DetailType) {
        results.push({ ErrorCode: "InvalidArgument", ErrorMessage: "Source and DetailType are required" });
        continue;
      }
      const event: BusEvent = {
        version: "0",
        id: randomUUID(),
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: "000000000000",
        // EventBridge's time has second precision.
        time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        region: config().region,
        resources: entry.Resources ?? [],
        detail,
      };
      try {
        await this.dispatch(event);
        results.push({ EventId: event.id });
      } catch (error) {
        results.push({ ErrorCode: "LocalSubscriberFailed", ErrorMessage: (error as Error).message });
      }
    }
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }
}

/** What an EventBridge target (a Lambda, a local subscriber) receives for an audit event. */
export type AuditBusEvent = BusEvent<AuditEvent["type"], AuditEvent>;
