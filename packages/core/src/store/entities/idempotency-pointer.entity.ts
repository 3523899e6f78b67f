import { Entity } from "electrodb";

/**
 * In a user's partition: the scope of an idempotency record whose committed change was about this user
 * (its `subject`), written in the change's transaction. Idempotency records have a partition each, so
 * erasure finds the ones that may hold the user's values (their stored outcome) through these, without a
 * scan. Expires with the record. Bound by the Service (store/service.ts).
 */
export const IdempotencyPointerEntity = new Entity({
  model: { entity: "idempotencyPointer", version: "1", service: "users" },
  attributes: {
    userId: { type: "string", required: true, readOnly: true },
    scope: { type: "string", required: true, readOnly: true },
    /** Epoch seconds; DynamoDB's TTL removes the item (after its record's window). */
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["userId"] },
      sk: { field: "sk", composite: ["scope"] },
    },
  },
});
