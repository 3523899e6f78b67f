import { type Schema } from "electrodb";
import { TableEntity } from "./table-entity.ts";

/**
 * A user's data key, wrapped by the master key (KMS when deployed), in the user's partition. The
 * personal values in the user's audit events are sealed with it; erasure deletes this item, which
 * leaves those values unreadable for good (crypto-shredding). Bound by the Service (store/service.ts).
 */
export const dataKeySchema = {
  model: { entity: "dataKey", version: "1", service: "users" },
  attributes: {
    userId: { type: "string", required: true, readOnly: true },
    wrapped: { type: "string", required: true, readOnly: true },
    createdAt: { type: "string", required: true, readOnly: true },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["userId"] },
      sk: { field: "sk", composite: [] },
    },
  },
} as const satisfies Schema<string, string, string>;

export const DataKeyEntity = new TableEntity(dataKeySchema);
