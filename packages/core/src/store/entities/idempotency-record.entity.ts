import { TableEntity } from "./table-entity.ts";

/**
 * One Idempotency-Key of one caller and operation. `started` by an attempt (with a lease), `committed`
 * in the same transaction as the change that attempt made, `completed` once its outcome is stored for
 * replay. Each key has its own partition; TTL removes it after the 24-hour window (reads ignore it at once).
 */
export const IdempotencyRecordEntity = new TableEntity({
  model: { entity: "idempotencyRecord", version: "1", service: "users" },
  attributes: {
    scope: { type: "string", required: true },
    attempt: { type: "string", required: true },
    status: { type: ["started", "committed", "completed"] as const, required: true },
    payloadHash: { type: "string", required: true },
    /** Epoch ms until which the attempt holds the key. */
    leaseUntil: { type: "number", required: true },
    /** What the committed change was about (a user id), to answer a replay whose outcome was not stored. */
    subject: { type: "string" },
    /** The stored outcome, JSON: `{ ok: true, value }` or `{ ok: false, error }`. */
    outcome: { type: "string" },
    /** Epoch seconds; DynamoDB's TTL removes the item after the window. */
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byScope: {
      pk: { field: "pk", composite: ["scope"] },
      sk: { field: "sk", composite: [] },
    },
  },
});
