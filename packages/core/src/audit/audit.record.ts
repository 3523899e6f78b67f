import { monotonicFactory } from "ulid";
import { useContext, type Actor } from "../context.ts";
import type { TransactionEntities } from "../store/service.ts";
import type { AuditActor, AuditChanges, AuditEvent, AuditEventType } from "./audit.schema.ts";
import type { SealedAuditEvent } from "./audit.seal.ts";

/** Compliance retention for audit events. */
const RETENTION_SECONDS = 7 * 366 * 24 * 60 * 60;

const nextEventId = monotonicFactory();

function auditActor(actor: Actor): AuditActor {
  switch (actor.kind) {
    case "user":
      return { kind: "user", userId: actor.userId, roles: actor.roles };
    case "system":
      return { kind: "system", name: actor.name };
    case "client":
      return { kind: "client", clientId: actor.clientId };
    default:
      return { kind: "anonymous" };
  }
}

/** An audit event for a change made now, by the caller in context. */
export function auditEvent(
  type: AuditEventType,
  userId: string,
  changes: AuditChanges,
  options: { reason?: string; occurredAt?: string } = {},
): AuditEvent {
  const { actor, requestId, sourceIp } = useContext();
  const occurredAt = options.occurredAt ?? new Date().toISOString();
  return {
    eventId: nextEventId(Date.parse(occurredAt)),
    type,
    schemaVersion: 1,
    userId,
    occurredAt,
    requestId,
    sourceIp,
    actor: auditActor(actor),
    changes,
    ...(options.reason ? { reason: options.reason } : {}),
  };
}

/**
 * The transaction item that stores an event (create: an event id is never overwritten). Personal values
 * are sealed first (`sealAuditEvent`), so the event's `sourceIp` is always in its box.
 */
export function putAuditEvent(entities: TransactionEntities, event: SealedAuditEvent) {
  const { sourceIp: _sealedAway, sealed, ...rest } = event;
  return entities.auditEvent
    .create({
      ...rest,
      ...(sealed ? { sealed } : {}),
      expiresAt: Math.floor(Date.parse(event.occurredAt) / 1000) + RETENTION_SECONDS,
    })
    .commit();
}
