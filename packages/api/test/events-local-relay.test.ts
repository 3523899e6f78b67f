/**
 * End to end on DynamoDB Local: domain writes store audit items, the local poller reads the table's
 * stream, and the relay publishes through the local bus to subscribers — the path `npm start` runs.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Audit, User, withContext, config } from "@users/core";
import * as Events from "@users/core/events/index";
import { LocalEventBus, type AuditBusEvent, type Subscriber } from "../src/local/event-bus.ts";
import { fileCheckpointStore, memoryCheckpointStore, type CheckpointStore } from "../src/local/checkpoint.ts";
import { StreamPoller, type StreamPollerOptions } from "../src/local/stream-poller.ts";
import { relayBatch } from "../src/events/relay-handler.ts";
import { startLocalEventRelay } from "../src/local/event-relay.ts";

const asSystem = <T>(fn: () => Promise<T>) => withContext({ actor: { kind: "system", name: "events-test" } }, fn);

let emails = 0;
const newUser = (overrides: Record<string, unknown> = {}) =>
  asSystem(() =>
    User.create({
      email: `events.${Date.now().toString(36)}.${(emails += 1)}@example.com`,
      password: "correct horse battery",
      firstName: "Ada",
      lastName: "Lovelace",
      ...overrides,
    }),
  );
const rename = (userId: string, firstName: string) => asSystem(() => User.update({ userId, firstName }));
const storedEventIds = async (userId: string) =>
  (await asSystem(() => Audit.list({ userId, limit: 100 }))).items.map((e) => e.eventId).sort();

/** A local pipeline like `npm start`'s: poller → relay → publisher → local bus → subscribers. */
function pipeline(options: {
  subscribers: Subscriber[];
  checkpoints?: CheckpointStore;
  beforeCheckpoint?: StreamPollerOptions["beforeCheckpoint"];
}) {
  const bus = new LocalEventBus();
  for (const subscriber of options.subscribers) bus.subscribe(subscriber);
  const publisher = Events.createPublisher({ sender: bus, eventBusName: bus.busName, baseDelayMs: 5 });
  const poller = new StreamPoller({
    tableName: config().tableName,
    checkpoints: options.checkpoints ?? memoryCheckpointStore(),
    handleRecords: (records) => relayBatch(records, publisher),
    beforeCheckpoint: options.beforeCheckpoint,
    idleDelayMs: 50,
    log: () => {},
  });
  return { bus, poller };
}

/** A subscriber that records every delivery of the given users' events. */
function recorder(userIds: Set<string>) {
  const deliveries: AuditBusEvent[] = [];
  const subscriber: Subscriber = {
    name: "recorder",
    pattern: { source: ["users.service"] },
    handler: (event: AuditBusEvent) => {
      if (userIds.has(event.detail.userId)) deliveries.push(event);
    },
  };
  return { deliveries, subscriber };
}

afterEach(() => vi.restoreAllMocks());

describe("the local relay on DynamoDB Local", () => {
  it("delivers a change to a local subscriber once, as the contract's event", async () => {
    const user = await newUser();
    await rename(user.userId, "Augusta");
    const { deliveries, subscriber } = recorder(new Set([user.userId]));
    const { poller } = pipeline({ subscribers: [subscriber] });
    await poller.drain();
    await poller.drain(); // nothing new: nothing delivered twice

    expect(deliveries.map((d) => d["detail-type"])).toEqual(["user.created", "user.updated"]);
    expect(deliveries.map((d) => d.detail.eventId).sort()).toEqual(await storedEventIds(user.userId));
    const updated = deliveries[1]!;
    expect(updated.source).toBe("users.service");
    expect(Events.AuditEvent.parse(updated.detail)).toEqual(updated.detail);
    expect(updated.detail).toMatchObject({
      type: "user.updated",
      userId: user.userId,
      schemaVersion: 1,
      actor: { kind: "system", name: "events-test" },
      changes: { firstName: { from: "Ada", to: "Augusta" } },
    });
  });

  it("redelivers after a crash between dispatch and checkpoint; the consumer handles each event once", async () => {
    const user = await newUser();
    await rename(user.userId, "B");
    await rename(user.userId, "C");
    const expected = await storedEventIds(user.userId);
    expect(expected).toHaveLength(3);

    const { deliveries, subscriber } = recorder(new Set([user.userId]));
    const consumer = `crash-test-${crypto.randomUUID()}`;
    const handled: string[] = [];
    const deduping: Subscriber = {
      name: "deduping-consumer",
      pattern: { source: ["users.service"] },
      handler: async (event: AuditBusEvent) => {
        if (event.detail.userId !== user.userId) return;
        await Events.processOnce(event.detail.eventId, { consumer }, () => void handled.push(event.detail.eventId));
      },
    };
    const checkpointFile = join(mkdtempSync(join(tmpdir(), "relay-")), "checkpoints.json");
    const checkpoints = fileCheckpointStore(checkpointFile);

    // First run: events are dispatched, then the process "dies" before saving its checkpoint.
    const first = pipeline({
      subscribers: [subscriber, deduping],
      checkpoints,
      beforeCheckpoint: () => {
        throw new Error("killed before checkpoint");
      },
    });
    await expect(first.poller.drain()).rejects.toThrow("killed before checkpoint");
    expect(deliveries.map((d) => d.detail.eventId).sort()).toEqual(expected);
    expect(existsSync(checkpointFile)).toBe(false);

    // Restart from the same checkpoint store: everything since the checkpoint comes again.
    const second = pipeline({ subscribers: [subscriber, deduping], checkpoints });
    await second.poller.drain();
    const counts = new Map<string, number>();
    for (const d of deliveries) counts.set(d.detail.eventId, (counts.get(d.detail.eventId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(expected);
    expect([...counts.values()].every((n) => n >= 1)).toBe(true);
    expect(deliveries.length).toBe(6); // each event twice: at least once, not exactly once
    expect(handled.sort()).toEqual(expected); // the side effect happened once per event

    // A third run starts after the saved checkpoint: nothing is delivered again.
    const checkpoint = JSON.parse(readFileSync(checkpointFile, "utf8"));
    expect(Object.keys(checkpoint)).toEqual([second.poller.streamArn]);
    const before = deliveries.length;
    const third = pipeline({ subscribers: [subscriber, deduping], checkpoints });
    await third.poller.drain();
    expect(deliveries.length).toBe(before);
  });

  it("runs inside npm start with the example consumer subscribed, and keeps its checkpoint on disk", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "info").mockImplementation(() => {});
    const stateDir = mkdtempSync(join(tmpdir(), "relay-state-"));
    const relay = await startLocalEventRelay({ tableName: config().tableName, stateDir });
    try {
      expect(relay.description).toMatch(/local subscribers/);
      const admin = await newUser({ roles: ["admin"] });
      const alerted = () =>
        vi.mocked(console.warn).mock.calls.some((args) => String(args[0]).includes(`"userId":"${admin.userId}"`));
      const deadline = Date.now() + 15_000;
      while (!alerted() && Date.now() < deadline) await sleep(50);
      expect(alerted()).toBe(true);
      expect(vi.mocked(console.log).mock.calls.some((args) => String(args[0]).includes(admin.userId))).toBe(true);
    } finally {
      await relay.stop();
    }
    expect(existsSync(join(stateDir, "event-relay-checkpoints.json"))).toBe(true);
  });

  it("delivers every event of a burst of 1,000 changes", async () => {
    // 20 creations + 20 × 49 updates = 1,000 audit events, from 20 writers at once.
    const users = await Promise.all(Array.from({ length: 20 }, () => newUser()));
    const userIds = new Set(users.map((u) => u.userId));
    const { deliveries, subscriber } = recorder(userIds);
    const { poller } = pipeline({ subscribers: [subscriber] });
    poller.start(); // relaying while the writes happen
    const started = Date.now();
    try {
      await Promise.all(
        users.map(async (user) => {
          for (let i = 1; i <= 49; i++) await rename(user.userId, `Name${i}`);
        }),
      );
      const seen = () => new Set(deliveries.map((d) => d.detail.eventId)).size;
      // A thousand transactions on DynamoDB Local take minutes on a loaded CI machine; the relay only
      // has to keep up, and it is given as long again after the last write.
      const deadline = Date.now() + Math.max(120_000, Date.now() - started);
      while (seen() < 1000 && Date.now() < deadline) await sleep(100);
      expect(seen()).toBe(1000);
    } finally {
      await poller.stop();
    }
    const expected = (await Promise.all(users.map((u) => storedEventIds(u.userId)))).flat().sort();
    expect(expected).toHaveLength(1000);
    expect([...new Set(deliveries.map((d) => d.detail.eventId))].sort()).toEqual(expected);
    console.info(`burst: 1,000 events written and delivered in ${Date.now() - started} ms`);
  }, 900_000);
});
