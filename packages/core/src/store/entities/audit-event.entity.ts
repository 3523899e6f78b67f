import { createConversions, type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";

/**
 * An audit event, stored in its user's partition in the same transaction as the change it records.
 * These items are also the outbox that the events relay publishes from the table's stream.
 */
export const AuditEventEntity = new TableEntity(
  {
    model: { entity: "auditEvent", version: "1", service: "users" },
    attributes: {
      eventId: { type: "string", required: true },
      /** One of audit.schema.ts `AuditEventTypes` (checked there, before anything is written). */
      type: { type: "string", required: true },
      schemaVersion: { type: "number", required: true },
      userId: { type: "string", required: true },
      occurredAt: { type: "string", required: true },
      requestId: { type: "string", required: true },
      sourceIp: { type: "string" },
      actor: { type: "any", required: true },
      changes: { type: "any", required: true },
      reason: { type: "string" },
      /** The personal values of `changes` and the source IP, sealed with the user's data key (audit.seal.ts). */
      sealed: { type: "string" },
      /** Epoch seconds; DynamoDB's TTL removes the item after the retention period. */
      expiresAt: { type: "number", required: true },
    },
    indexes: {
      byUser: {
        pk: { field: "pk", composite: ["userId"] },
        sk: { field: "sk", composite: ["eventId"] },
      },
    },
  },
);

export type StoredAuditEvent = EntityItem<typeof AuditEventEntity>;

export const auditEventConversions = createConversions(AuditEventEntity);
