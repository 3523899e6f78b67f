import { describe, expect, it } from "vitest";
import { toEntry, type AuditEvent } from "@users/core/events/index";
import { LocalEventBus, matchesPattern, type BusEvent } from "../../src/local/event-bus.ts";

const busEvent = (detailType: string, detail: unknown = {}, source = "users.service") =>
  ({ version: "0", id: "1", "detail-type": detailType, source, account: "0", time: "", region: "", resources: [], detail }) as BusEvent;

describe("rule patterns (EventBridge semantics)", () => {
  it("matches source and detail-type against lists of values", () => {
    const pattern = { source: ["users.service"], "detail-type": ["user.created", "user.deleted"] };
    expect(matchesPattern(pattern, busEvent("user.created"))).toBe(true);
    expect(matchesPattern(pattern, busEvent("user.deleted"))).toBe(true);
    expect(matchesPattern(pattern, busEvent("user.updated"))).toBe(false);
    expect(matchesPattern(pattern, busEvent("user.created", {}, "other.service"))).toBe(false);
    // fields the pattern does not name are ignored
    expect(matchesPattern({ source: ["users.service"] }, busEvent("anything"))).toBe(true);
  });

  it("matches nested detail fields, arrays by any element, and prefix / anything-but / exists filters", () => {
    const grant = busEvent("user.role_added", { changes: { roles: { from: ["customer"], to: ["admin", "customer"] } } });
    expect(matchesPattern({ detail: { changes: { roles: { to: ["admin"] } } } }, grant)).toBe(true);
    expect(matchesPattern({ detail: { changes: { roles: { to: ["moderator"] } } } }, grant)).toBe(false);
    expect(matchesPattern({ detail: { changes: { status: { to: ["active"] } } } }, grant)).toBe(false);
    expect(matchesPattern({ "detail-type": [{ prefix: "user." }] }, grant)).toBe(true);
    expect(matchesPattern({ "detail-type": [{ prefix: "auth." }] }, grant)).toBe(false);
    expect(matchesPattern({ "detail-type": [{ "anything-but": ["user.role_added"] }] }, grant)).toBe(false);
    expect(matchesPattern({ "detail-type": [{ "anything-but": "user.deleted" }] }, grant)).toBe(true);
    expect(matchesPattern({ detail: { reason: [{ exists: false }] } }, grant)).toBe(true);
    expect(matchesPattern({ detail: { changes: [{ exists: true }] } } as never, grant)).toBe(true);
  });
});

describe("the local bus", () => {
  const event: AuditEvent = {
    eventId: "01JD0000000000000000000001",
    type: "user.created",
    schemaVersion: 1,
    userId: "u1",
    occurredAt: "2026-11-22T10:15:30.123Z",
    requestId: "r1",
    sourceIp: null,
    actor: { kind: "anonymous" },
    changes: {},
  };

  it("delivers an EventBridge-shaped event to each matching subscriber only", async () => {
    const bus = new LocalEventBus({ busName: "local" });
    const created: BusEvent[] = [];
    const deleted: BusEvent[] = [];
    bus.subscribe({ name: "created", pattern: { "detail-type": ["user.created"] }, handler: (e) => void created.push(e) });
    bus.subscribe({ name: "deleted", pattern: { "detail-type": ["user.deleted"] }, handler: (e) => void deleted.push(e) });
    const result = await bus.putEvents({ Entries: [toEntry(event, "local")] });
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toEqual([{ EventId: created[0]!.id }]);
    expect(deleted).toEqual([]);
    expect(created[0]).toMatchObject({
      version: "0",
      source: "users.service",
      "detail-type": "user.created",
      time: "2026-11-22T10:15:30Z",
      resources: [],
      detail: event,
    });
  });

  it("reports an entry whose subscriber throws as failed, and applies PutEvents' limits", async () => {
    const bus = new LocalEventBus();
    const unsubscribe = bus.subscribe({ name: "broken", pattern: { source: ["users.service"] }, handler: () => { throw new Error("boom"); } });
    const result = await bus.putEvents({ Entries: [toEntry(event, "local")] });
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries![0]).toMatchObject({ ErrorCode: "LocalSubscriberFailed", ErrorMessage: expect.stringContaining("broken: boom") });
    unsubscribe();
    expect((await bus.putEvents({ Entries: [toEntry(event, "local")] })).FailedEntryCount).toBe(0);
    await expect(bus.putEvents({ Entries: Array.from({ length: 11 }, () => toEntry(event, "local")) })).rejects.toThrow(/1 to 10 entries/);
    expect((await bus.putEvents({ Entries: [toEntry(event, "another-bus")] })).Entries![0]!.ErrorCode).toBe("InvalidArgument");
    expect(() => bus.subscribe({ name: "all", pattern: {}, handler: () => {} })).toThrow(/at least one field/);
  });
});
