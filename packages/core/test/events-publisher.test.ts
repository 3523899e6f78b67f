import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  chunkEntries,
  createPublisher,
  entrySize,
  eventBridgeSender,
  MAX_REQUEST_BYTES,
  toEntry,
  type AuditEvent,
} from "@users/core/events/index";

const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => eventBridge.reset());

let counter = 0;
function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  counter += 1;
  return {
    eventId: `01JD0000000000000000000${String(counter).padStart(3, "0")}`,
    type: "user.updated",
    schemaVersion: 1,
    userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
    occurredAt: "2026-11-22T10:15:30.123Z",
    requestId: `req-${counter}`,
    sourceIp: "203.0.113.9",
    actor: { kind: "user", userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00", roles: ["admin"] },
    changes: { firstName: { from: "Ada", to: "Augusta" } },
    ...overrides,
  };
}

/** Answers every PutEvents with success, one EventId per entry. */
function acceptAll() {
  eventBridge.on(PutEventsCommand).callsFake((input) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `id-${i}` })),
  }));
}

const sleeps: number[] = [];
function publisher(options: { maxAttempts?: number } = {}) {
  sleeps.length = 0;
  return createPublisher({
    sender: eventBridgeSender(new EventBridgeClient({ region: "us-east-1" })),
    eventBusName: "users-bus",
    baseDelayMs: 100,
    maxDelayMs: 5000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
}

const calls = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input);

describe("the PutEvents request", () => {
  it("has the contract's Source, DetailType, Detail and Time, and the configured bus", async () => {
    acceptAll();
    const e = event({ type: "user.role_added", changes: { roles: { from: ["customer"], to: ["admin", "customer"] } } });
    const result = await publisher().publish([e]);
    expect(result).toEqual({ published: [e], failed: [] });
    expect(calls()).toEqual([
      {
        Entries: [
          {
            Source: "users.service",
            DetailType: "user.role_added",
            Detail: JSON.stringify(e),
            Time: new Date("2026-11-22T10:15:30.123Z"),
            EventBusName: "users-bus",
          },
        ],
      },
    ]);
    expect(JSON.parse(calls()[0]!.Entries![0]!.Detail!)).toEqual(e);
  });

  it("counts an entry's size as EventBridge does", () => {
    const entry = toEntry(event(), "a-bus-name-that-does-not-count");
    const expected = 14 + "users.service".length + "user.updated".length + Buffer.byteLength(entry.Detail!);
    expect(entrySize(entry)).toBe(expected);
    expect(entrySize({ ...entry, Detail: '{"name":"Zoë"}', Resources: ["arn:x"] })).toBe(
      14 + 13 + 12 + Buffer.byteLength('{"name":"Zoë"}') + 5,
    );
  });
});

describe("batching", () => {
  it("sends 10 entries per request: 11 events make 2 requests", async () => {
    acceptAll();
    const events = Array.from({ length: 11 }, () => event());
    const result = await publisher().publish(events);
    expect(result.published).toHaveLength(11);
    expect(calls().map((c) => c.Entries!.length)).toEqual([10, 1]);
    expect(calls().flatMap((c) => c.Entries!.map((e) => JSON.parse(e.Detail!).eventId))).toEqual(events.map((e) => e.eventId));
  });

  it("splits entries that together exceed 256 KB", async () => {
    acceptAll();
    const big = "x".repeat(100 * 1024);
    const events = Array.from({ length: 3 }, () => event({ changes: { metadata: { from: null, to: big } } }));
    const result = await publisher().publish(events);
    expect(result.published).toHaveLength(3);
    const requests = calls();
    expect(requests.map((c) => c.Entries!.length)).toEqual([2, 1]);
    for (const request of requests) {
      expect(request.Entries!.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
  });

  it("fills a request up to exactly 256 KB, and not a byte more", () => {
    const half = MAX_REQUEST_BYTES / 2;
    expect(chunkEntries([half, half], (n) => n)).toEqual([[half, half]]);
    expect(chunkEntries([half, half + 1], (n) => n)).toEqual([[half], [half + 1]]);
    expect(chunkEntries(Array.from({ length: 25 }, () => 1), (n) => n).map((c) => c.length)).toEqual([10, 10, 5]);
  });
});

describe("failures", () => {
  it("retries only the entries that failed inside a successful call, after a jittered backoff", async () => {
    const events = [event(), event(), event()];
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: "a" }, { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" }, { EventId: "c" }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "b" }] });
    const result = await publisher().publish(events);
    expect(result.failed).toEqual([]);
    expect(new Set(result.published)).toEqual(new Set(events));
    const requests = calls();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.Entries!.map((e) => JSON.parse(e.Detail!).eventId)).toEqual([events[1]!.eventId]);
    // full jitter: random() * min(cap, base * 2^0)
    expect(sleeps).toEqual([50]);
  });

  it("backs off exponentially, with a bounded number of attempts, and returns what still fails", async () => {
    const events = [event(), event()];
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((entry: { Detail: string }) =>
        JSON.parse(entry.Detail).eventId === events[0]!.eventId
          ? { ErrorCode: "InternalFailure", ErrorMessage: "try again" }
          : { EventId: "ok" },
      ),
    }));
    const result = await publisher({ maxAttempts: 4 }).publish(events);
    expect(result.published).toEqual([events[1]]);
    expect(result.failed).toEqual([{ event: events[0], errorCode: "InternalFailure", errorMessage: "try again", attempts: 4 }]);
    expect(calls()).toHaveLength(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it("retries a call that throws a retryable error", async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error("Service unavailable"), { name: "InternalException", $fault: "server", $metadata: { httpStatusCode: 500 } }))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "x" }] });
    const result = await publisher().publish([event()]);
    expect(result.failed).toEqual([]);
    expect(calls()).toHaveLength(2);
  });

  it("does not retry a call refused for good, and reports its events as failed", async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 403 } }));
    const e = event();
    const result = await publisher().publish([e]);
    expect(result.published).toEqual([]);
    expect(result.failed).toEqual([{ event: e, errorCode: "AccessDeniedException", errorMessage: "not authorized", attempts: 1 }]);
    expect(calls()).toHaveLength(1);
  });

  it("never counts an entry without an EventId as published", async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const result = await publisher({ maxAttempts: 2 }).publish([event()]);
    expect(result.published).toEqual([]);
    expect(result.failed).toHaveLength(1);
  });
});
