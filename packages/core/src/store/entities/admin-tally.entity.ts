import { TableEntity } from "./table-entity.ts";

/**
 * The number of active admins, changed in the same transaction as any user change that makes or
 * unmakes one. A decrement is conditional on more than one remaining, so two admins demoting each other
 * at once cannot leave the service without one (LAST_ADMIN).
 */
export const AdminTallyEntity = new TableEntity(
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
);

export const adminTallyKey = { scope: "global" } as const;
