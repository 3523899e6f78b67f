/**
 * Example consumer: alerts whenever someone is granted the admin role.
 *
 * Subscribing: an EventBridge rule on the service's bus with `adminGrantPattern` as its event pattern
 * and this function as its target. The same pattern subscribes it to the local bus in `npm start`.
 *
 * Deduplication: events arrive at least once (the relay, the stream and EventBridge all retry), and the
 * same event can come back with a different envelope `id`, so a consumer deduplicates on
 * `detail.eventId`. A set in memory is not enough in Lambda (concurrent instances do not share memory,
 * and an instance can be replaced at any time), so `Events.processOnce` records handled events in the
 * table with a conditional put, expiring by TTL after 7 days.
 */
import type { EventBridgeEvent } from "aws-lambda";
import * as Events from "@users/core/events/index";

export const CONSUMER = "admin-grant-alert";

/** The rule's event pattern: role grants and creations whose new roles include admin. */
export const adminGrantPattern = Events.adminGrantPattern;

/** True when the event gives a user the admin role they did not have. */
export function grantsAdmin(event: Events.AuditEvent): boolean {
  if (event.type !== "user.role_added" && event.type !== "user.created") return false;
  const roles = event.changes.roles;
  if (!roles || !("to" in roles)) return false;
  const had = Array.isArray(roles.from) && roles.from.includes("admin");
  return Array.isArray(roles.to) && roles.to.includes("admin") && !had;
}

/** Lambda entry point (target of the EventBridge rule); a throw makes EventBridge/Lambda retry. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = Events.AuditEvent.parse(event.detail);
  if (!grantsAdmin(detail)) return;
  const outcome = await Events.processOnce(detail.eventId, { consumer: CONSUMER }, () => {
    console.warn(
      JSON.stringify({
        level: "warn",
        alert: "ADMIN_ROLE_GRANTED",
        message: `User ${detail.userId} was granted the admin role`,
        eventId: detail.eventId,
        userId: detail.userId,
        actor: detail.actor,
        occurredAt: detail.occurredAt,
        requestId: detail.requestId,
        sourceIp: detail.sourceIp,
      }),
    );
  });
  if (outcome.duplicate) {
    console.info(JSON.stringify({ level: "info", message: "Duplicate event ignored", consumer: CONSUMER, eventId: detail.eventId }));
  }
}
