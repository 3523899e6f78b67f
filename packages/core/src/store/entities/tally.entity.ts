import { TableEntity } from "./table-entity.ts";

/**
 * One shard of the user counts (see stats/tally.ts): counters by status and by role, each changed with
 * an atomic ADD in the same transaction as the user change it counts.
 */
export const tallySchema = {
  model: { entity: "userTally", version: "1", service: "users" },
  attributes: {
    shard: { type: "number", required: true },
    status_active: { type: "number" },
    status_suspended: { type: "number" },
    status_pending: { type: "number" },
    status_deleted: { type: "number" },
    role_customer: { type: "number" },
    role_moderator: { type: "number" },
    role_admin: { type: "number" },
  },
  indexes: {
    byShard: {
      pk: { field: "pk", composite: ["shard"], template: "$users#tally#${shard}", casing: "none" },
      sk: { field: "sk", composite: [], template: "$tally", casing: "none" },
    },
  },
} as const;

export const TallyEntity = new TableEntity(tallySchema);
