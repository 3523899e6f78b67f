import { TableEntity } from "./table-entity.ts";

/**
 * Sign-in attempts per email and per source IP within a 15-minute window, kept in the table so the limit
 * holds across every Lambda instance.
 */
export const LoginAttemptsEntity = new TableEntity(
  {
    model: { entity: "loginAttempts", version: "1", service: "users" },
    attributes: {
      kind: { type: ["email", "ip"] as const, required: true },
      value: { type: "string", required: true },
      attempts: { type: "number", required: true },
      windowStartedAt: { type: "number", required: true },
      expiresAt: { type: "number", required: true },
    },
    indexes: {
      byValue: {
        pk: { field: "pk", composite: ["kind", "value"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
);
