import { type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";

/**
 * A machine client (OAuth client credentials). Only the SHA-256 of its secret is kept: the secret is 256
 * random bits, so a slow hash adds nothing. Every request with one of its tokens reads this item, so
 * deleting it (revocation) stops them at once. Listed through gsi1 (which projects whole items) under a partition of its own.
 * Bound by the Service (store/service.ts).
 */
export const MachineClientEntity = new TableEntity({
  model: { entity: "machineClient", version: "1", service: "users" },
  attributes: {
    clientId: { type: "string", required: true, readOnly: true },
    name: { type: "string", required: true },
    scopes: { type: "list", items: { type: "string" }, required: true },
    secretHash: { type: "string", required: true },
    createdAt: { type: "string", required: true, readOnly: true },
    createdBy: { type: "string", required: true },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["clientId"] },
      sk: { field: "sk", composite: [] },
    },
    allClients: {
      index: "gsi1",
      pk: { field: "gsi1pk", composite: [] },
      sk: { field: "gsi1sk", composite: ["createdAt", "clientId"] },
    },
  },
});

export type StoredClient = EntityItem<typeof MachineClientEntity>;
