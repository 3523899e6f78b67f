import { Entity } from "electrodb";
import { config } from "../config.ts";
import { dynamo } from "../dynamo/client.ts";

/**
 * The number of active admins, changed in the same transaction as any user change that makes or
 * unmakes one. A decrement is conditional on more than one remaining, so two admins demoting each other
 * at once cannot leave the service without one (LAST_ADMIN).
 */
export const AdminTallyEntity = new Entity(
  {
    model: { entity: "adminTally", version: "1", service: "users" },
    attributes: {
      scope: { type: "string", required: true },
      activeAdmins: { type: "number", required: true, default: 0 },
    },
    indexes: {
      byScope: {
        pk: { field: "pk", composite: ["scope"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
  { table: config().tableName, client: dynamo() },
);

export const adminTallyKey = { scope: "global" } as const;
