import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../src/events/relay-handler.ts";

const eventBridge = mockClient(EventBridgeClient);
const previousBus = process.env.EVENT_BUS_NAME;
beforeEach(() => {
  eventBridge.reset();
  process.env.EVENT_BUS_NAME = "users-bus";
  vi.spyOn(console, "info").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(() => {
  if (previousBus === undefined) delete process.env.EVENT_BUS_NAME;
  else process.env.EVENT_BUS_NAME = previousBus;
});

let sequence = 1000;
function auditInsert(eventId: string, type = "user.updated"): DynamoDBRecord {
  sequence += 1;
  const item = {
    pk: "$users#userid_u1",
    sk: `$auditevent_1#eventid_${eventId.toLowerCase()}`,
    __edb_e__: "auditEvent",
    __edb_v__: "1",
    eventId,
    type,
    schemaVersion: 1,
    userId: "u1",
    occurredAt: "2026-11-22T10:15:30.123Z",
    requestId: "req",
    actor: { kind: "anonymous" },
    changes: { firstName: { from: "Ada", to: "Augusta" } },
    expiresAt: 2016671722,
  };
  return {
    eventID: `e${sequence}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: { NewImage: marshall(item) as never, SequenceNumber: String(sequence), StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}
const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

describe("the stream relay Lambda", () => {
  it("publishes audit inserts to the configured bus and reports no failures", async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: "x" })),
    }));
    const records = Array.from({ length: 11 }, (_, i) => auditInsert(`01JD00000000000000000000${String(i).padStart(2, "0")}`));
    const result = await handler(streamEvent(...records));
    expect(result).toEqual({ batchItemFailures: [] });
    const requests = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
    expect(requests.map((r) => r.Entries!.length)).toEqual([10, 1]);
    expect(requests[0]!.Entries![0]).toMatchObject({
      Source: "users.service",
      DetailType: "user.updated",
      EventBusName: "users-bus",
      Time: new Date("2026-11-22T10:15:30.123Z"),
    });
  });

  it("reports the records whose events still fail after retries, so the stream delivers them again", async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((entry: { Detail: string }) =>
        JSON.parse(entry.Detail).eventId === "01JD0000000000000000000BAD"
          ? { ErrorCode: "InternalFailure", ErrorMessage: "try later" }
          : { EventId: "ok" },
      ),
    }));
    const good = auditInsert("01JD000000000000000000GOOD");
    const bad = auditInsert("01JD0000000000000000000BAD");
    const result = await handler(streamEvent(good, bad));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber }] });
    // the failing entry was retried (bounded), the good one sent once
    const sent = eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!).eventId));
    expect(sent.filter((id) => id === "01JD000000000000000000GOOD")).toHaveLength(1);
    expect(sent.filter((id) => id === "01JD0000000000000000000BAD").length).toBeGreaterThan(1);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining("01JD0000000000000000000BAD"));
  });

  it("fails the whole batch when no bus is configured rather than taking records off the stream", async () => {
    delete process.env.EVENT_BUS_NAME;
    await expect(handler(streamEvent(auditInsert("01JD0000000000000000000NOB")))).rejects.toThrow(/EVENT_BUS_NAME/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
