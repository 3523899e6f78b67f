import { useActor } from "../context.ts";
import { userNotFound } from "../errors.ts";
import { Policy } from "../policy.ts";
import { readPage, type Page } from "../pagination.ts";
import { db } from "../store/service.ts";
import { auditEventConversions, type StoredAuditEvent } from "../store/entities/audit-event.entity.ts";
import { validated } from "../validation.ts";
import { ListAuditInput, type AuditEvent } from "./audit.schema.ts";
import { openAuditEvent } from "./audit.seal.ts";
import { userDataKey } from "../keys/index.ts";

export * from "./audit.schema.ts";
export { auditEvent, putAuditEvent } from "./audit.record.ts";
export { sealAuditEvent, openAuditEvent, hasPlainPersonalValues, type SealedAuditEvent } from "./audit.seal.ts";

type StoredEvent = StoredAuditEvent;

/** A stored item as the contract's event, personal values still sealed (`sealed`). */
export function storedAuditEvent(item: StoredEvent): AuditEvent & { sealed?: string } {
  return {
    eventId: item.eventId,
    type: item.type as AuditEvent["type"],
    schemaVersion: 1,
    userId: item.userId,
    occurredAt: item.occurredAt,
    requestId: item.requestId,
    sourceIp: item.sourceIp ?? null,
    actor: item.actor as AuditEvent["actor"],
    changes: item.changes as AuditEvent["changes"],
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.sealed ? { sealed: item.sealed } : {}),
  };
}

/** Stored items of one user as readable events: their personal values unsealed with the user's key. */
export async function readableAuditEvents(userId: string, items: StoredEvent[]): Promise<AuditEvent[]> {
  const key = items.some((item) => item.sealed) ? await userDataKey(userId, { create: false }) : null;
  return Promise.all(items.map((item) => openAuditEvent(storedAuditEvent(item), key)));
}

/**
 * A user's audit trail, newest first. The trail outlives a soft delete (it is the compliance record),
 * so it is readable for any user that ever existed.
 */
export const list = validated(ListAuditInput, async ({ userId, limit, cursor }): Promise<Page<AuditEvent>> => {
  Policy.readAudit(useActor(), userId);
  // Reads the user item only to know whether the user ever existed (the trail outlives a soft delete).
  const { data: user } = await db().user.get({ userId }).go({ attributes: ["userId"] });
  if (!user) throw userNotFound();
  const page = await readPage({
    scope: JSON.stringify(["audit", userId]),
    limit,
    cursor,
    positionOf: (item: StoredEvent) => auditEventConversions.fromComposite.toCursor(item),
    query: (position, count) =>
      db().auditEvent.query.byUser({ userId }).go({ order: "desc", cursor: position, count, limit: count }),
  });
  return { items: await readableAuditEvents(userId, page.items), nextCursor: page.nextCursor };
});
