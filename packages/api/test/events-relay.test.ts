import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import {
  auditEventFromRecord,
  compareSequenceNumbers,
  InvalidAuditRecordError,
  relayRecords,
  streamFilterPattern,
  type AuditEvent,
  type Publisher,
  type StreamRecord,
} from "@users/core/events/index";
import { matchesPattern } from "../src/local/event-bus.ts";

const storedAuditItem = {
  pk: "$users#userid_3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
  sk: "$auditevent_1#eventid_01jd0000000000000000000001",
  __edb_e__: "auditEvent",
  __edb_v__: "1",
  eventId: "01JD0000000000000000000001",
  type: "user.role_added",
  schemaVersion: 1,
  userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
  occurredAt: "2026-11-22T10:15:30.123Z",
  requestId: "req-1",
  actor: { kind: "system", name: "cli" },
  changes: { roles: { from: ["customer"], to: ["admin", "customer"] } },
  expiresAt: 2016671722,
};

let sequence = 100;
function record(item: Record<string, unknown>, eventName = "INSERT"): StreamRecord {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName,
    dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }), SequenceNumber: String(sequence) },
  };
}

describe("reading audit events from stream records", () => {
  it("turns the insert of an audit item into the contract's event (no storage attributes)", () => {
    const event = auditEventFromRecord(record(storedAuditItem));
    expect(event).toEqual({
      eventId: "01JD0000000000000000000001",
      type: "user.role_added",
      schemaVersion: 1,
      userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
      occurredAt: "2026-11-22T10:15:30.123Z",
      requestId: "req-1",
      sourceIp: null,
      actor: { kind: "system", name: "cli" },
      changes: { roles: { from: ["customer"], to: ["admin", "customer"] } },
    });
    expect(auditEventFromRecord(record({ ...storedAuditItem, sourceIp: "203.0.113.9", reason: "x" }))).toMatchObject({
      sourceIp: "203.0.113.9",
      reason: "x",
    });
  });

  it("reads DynamoDB Local's empty maps, which its stream writes as {} instead of { M: {} }", () => {
    const r = record({ ...storedAuditItem, changes: { metadata: { from: null, to: { a: 1 } } } });
    (r.dynamodb!.NewImage!.changes as any).M.metadata.M.to = {};
    expect(auditEventFromRecord(r)!.changes).toEqual({ metadata: { from: null, to: {} } });
  });

  it("ignores other items, modifications and removals", () => {
    expect(auditEventFromRecord(record({ ...storedAuditItem, __edb_e__: "user" }))).toBeNull();
    expect(auditEventFromRecord(record(storedAuditItem, "MODIFY"))).toBeNull();
    expect(auditEventFromRecord({ eventName: "REMOVE", dynamodb: { SequenceNumber: "1" } })).toBeNull();
  });

  it("refuses an audit item that is not a valid event instead of skipping it", () => {
    expect(() => auditEventFromRecord(record({ ...storedAuditItem, type: "user.teleported" }))).toThrow(InvalidAuditRecordError);
  });

  it("exports the stream filter that matches exactly what the relay reads", () => {
    expect(matchesPattern(streamFilterPattern as never, record(storedAuditItem))).toBe(true);
    expect(matchesPattern(streamFilterPattern as never, record(storedAuditItem, "MODIFY"))).toBe(false);
    expect(matchesPattern(streamFilterPattern as never, record({ ...storedAuditItem, __edb_e__: "claim" }))).toBe(false);
  });

  it("compares sequence numbers as numbers", () => {
    expect(compareSequenceNumbers("9", "10")).toBeLessThan(0);
    expect(compareSequenceNumbers("000000000000000000021", "20")).toBeGreaterThan(0);
    expect(compareSequenceNumbers("49668", "49668")).toBe(0);
  });
});

describe("relaying a batch", () => {
  it("accounts for every record: published, skipped or failed with its sequence number", async () => {
    const good = record({ ...storedAuditItem, eventId: "01JD0000000000000000000002" });
    const refused = record({ ...storedAuditItem, eventId: "01JD0000000000000000000003" });
    const broken = record({ ...storedAuditItem, eventId: "01JD0000000000000000000004", actor: { kind: "robot" } });
    const other = record({ pk: "x", sk: "y", __edb_e__: "claim" });
    const seen: AuditEvent[] = [];
    const publisher: Publisher = {
      async publish(events) {
        seen.push(...events);
        const [ok, bad] = events;
        return { published: [ok!], failed: [{ event: bad!, errorCode: "InternalFailure", errorMessage: "no", attempts: 5 }] };
      },
    };
    const result = await relayRecords([good, other, refused, broken], publisher);
    expect(seen.map((e) => e.eventId)).toEqual(["01JD0000000000000000000002", "01JD0000000000000000000003"]);
    expect(result.skipped).toBe(1);
    expect(result.published.map((e) => e.eventId)).toEqual(["01JD0000000000000000000002"]);
    expect(result.failures).toEqual([
      expect.objectContaining({ sequenceNumber: broken.dynamodb!.SequenceNumber, errorCode: "InvalidAuditRecordError" }),
      expect.objectContaining({
        sequenceNumber: refused.dynamodb!.SequenceNumber,
        eventId: "01JD0000000000000000000003",
        errorCode: "InternalFailure",
      }),
    ]);
  });

  it("does not call the publisher for a batch without audit inserts", async () => {
    const publisher: Publisher = { publish: async () => { throw new Error("not expected"); } };
    const result = await relayRecords([record({ pk: "a", sk: "b", __edb_e__: "user" })], publisher);
    expect(result).toEqual({ published: [], skipped: 1, failures: [] });
  });
});
