import { TableEntity } from "./table-entity.ts";
import { Statuses } from "../../user-vocabulary.ts";

/**
 * What an authenticated request must check, in one item per user (in the user's partition): the user's
 * status and roles, and the sessions that are still open (`<sessionId>@<expiresAt epoch s>`). Changes to
 * status and roles update it in the same transaction as the user; logout, revocation, a password change
 * and deletion remove sessions from it. So one key-value read per request sees every one of them.
 */
export const AuthStateEntity = new TableEntity(
  {
    model: { entity: "authState", version: "1", service: "users" },
    attributes: {
      userId: { type: "string", required: true },
      status: { type: Statuses, required: true },
      roles: { type: "list", items: { type: "string" }, required: true },
      sessions: { type: "set", items: "string" },
    },
    indexes: {
      byUser: {
        pk: { field: "pk", composite: ["userId"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
);
