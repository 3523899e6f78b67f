import { TableEntity } from "./table-entity.ts";

/**
 * In a user's partition: the key of an item elsewhere in the table that holds the user's values (an
 * idempotency record whose stored response is the user, a one-time token, a queued mail), written in
 * the same transaction as that item. Those items are keyed by something else (a scope, a token hash, a
 * message id), so erasure finds them through these pointers instead of a scan. Expires after its target.
 * Bound by the Service (store/service.ts).
 */
export const ErasurePointerEntity = new TableEntity({
  model: { entity: "erasurePointer", version: "1", service: "users" },
  attributes: {
    userId: { type: "string", required: true, readOnly: true },
    targetPk: { type: "string", required: true, readOnly: true },
    targetSk: { type: "string", required: true, readOnly: true },
    /** Epoch seconds; DynamoDB's TTL removes the item (after its target). */
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["userId"] },
      sk: { field: "sk", composite: ["targetPk", "targetSk"] },
    },
  },
});

/** The table key (`pk`, `sk`) of an item, as its entity's get params give it. */
export const tableKeyOf = (getParams: { Key: Record<string, unknown> }) => ({
  targetPk: getParams.Key.pk as string,
  targetSk: getParams.Key.sk as string,
});
