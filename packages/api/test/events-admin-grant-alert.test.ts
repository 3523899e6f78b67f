import { describe, expect, it, vi, beforeEach } from "vitest";
import * as Events from "@users/core/events/index";
import { matchesPattern, type EventPattern } from "../src/local/event-bus.ts";
import { adminGrantPattern, grantsAdmin, handler } from "../src/events/admin-grant-alert.ts";

let counter = 0;
function auditEvent(overrides: Partial<Events.AuditEvent> = {}): Events.AuditEvent {
  counter += 1;
  return {
    eventId: `01JD${Date.now().toString(36).toUpperCase()}${String(counter).padStart(6, "0")}`,
    type: "user.role_added",
    schemaVersion: 1,
    userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
    occurredAt: new Date().toISOString(),
    requestId: "req",
    sourceIp: "203.0.113.9",
    actor: { kind: "user", userId: "a1", roles: ["admin"] },
    changes: { roles: { from: ["customer"], to: ["admin", "customer"] } },
    ...overrides,
  };
}
const envelope = (detail: Events.AuditEvent) => ({
  version: "0",
  id: crypto.randomUUID(),
  "detail-type": detail.type,
  source: "users.service",
  account: "000000000000",
  time: detail.occurredAt,
  region: "us-east-1",
  resources: [],
  detail,
});
const alerts = () =>
  vi.mocked(console.warn).mock.calls.map((args) => JSON.parse(String(args[0]))).filter((line) => line.alert === "ADMIN_ROLE_GRANTED");

const adminPattern = () => adminGrantPattern as EventPattern;

beforeEach(() => {
  vi.restoreAllMocks();
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "info").mockImplementation(() => {});
});

describe("the admin-grant alert consumer", () => {
  it("alerts once per admin grant, however often the event is delivered (dedupe on eventId)", async () => {
    const event = auditEvent();
    await handler(envelope(event));
    await handler(envelope(event)); // redelivery: a new envelope id, the same eventId
    await Promise.all([handler(envelope(event)), handler(envelope(event))].map((p) => p.catch(() => {})));
    expect(alerts()).toEqual([expect.objectContaining({ eventId: event.eventId, userId: event.userId, actor: event.actor })]);
  });

  it("ignores events that grant no admin role", async () => {
    await handler(envelope(auditEvent({ changes: { roles: { from: ["customer"], to: ["customer", "moderator"] } } })));
    await handler(envelope(auditEvent({ type: "user.updated", changes: { firstName: { from: "A", to: "B" } } })));
    expect(alerts()).toEqual([]);
    expect(grantsAdmin(auditEvent({ type: "user.created", changes: { roles: { from: null, to: ["admin"] } } }))).toBe(true);
    expect(grantsAdmin(auditEvent({ changes: { roles: { from: ["admin"], to: ["admin", "moderator"] } } }))).toBe(false);
  });

  it("its rule pattern selects admin grants on the bus", () => {
    expect(matchesPattern(adminPattern(), envelope(auditEvent()))).toBe(true);
    expect(
      matchesPattern(adminPattern(), envelope(auditEvent({ changes: { roles: { from: [], to: ["moderator"] } } }))),
    ).toBe(false);
  });

  it("lets a retry do the work when the first attempt failed (the claim is released)", async () => {
    const eventId = auditEvent().eventId;
    const options = { consumer: `test-${crypto.randomUUID()}` };
    await expect(Events.processOnce(eventId, options, () => { throw new Error("pager down"); })).rejects.toThrow("pager down");
    expect(await Events.processOnce(eventId, options, () => "sent")).toEqual({ duplicate: false, result: "sent" });
    expect(await Events.processOnce(eventId, options, () => "sent again")).toEqual({ duplicate: true });
  });
});

