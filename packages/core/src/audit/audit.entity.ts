import { Entity, createConversions } from "electrodb";
import { config } from "../config.ts";
import { dynamo } from "../dynamo/client.ts";
import { AuditEventTypes } from "./audit.schema.ts";

/**
 * An audit event, stored in its user's partition in the same transaction as the change it records.
 * These items are also the outbox that the events relay publishes from the table's stream.
 */
export const AuditEventEntity = new Entity(
  {
    model: { entity: "auditEvent", version: "1", service: "users" },
    attributes: {
      eventId: { type: "string", required: true },
      type: { type: AuditEventTypes, required: true },
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
  { table: config().tableName, client: dynamo() },
);

export const auditEventConversions = createConversions(AuditEventEntity);
