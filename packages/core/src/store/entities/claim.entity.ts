import { TableEntity } from "./table-entity.ts";

/**
 * One item per unique value (an email, a username) naming the user who holds it. Written, swapped and
 * released in the same transaction as the user, with conditions, so uniqueness holds under concurrency
 * where a GSI cannot enforce it.
 */
export const ClaimEntity = new TableEntity(
  {
    model: { entity: "claim", version: "1", service: "users" },
    attributes: {
      kind: { type: ["email", "username"] as const, required: true },
      value: { type: "string", required: true },
      userId: { type: "string", required: true },
      claimedAt: { type: "string", required: true },
    },
    indexes: {
      byValue: {
        pk: { field: "pk", composite: ["kind", "value"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
);

export type ClaimKind = "email" | "username";
