import { type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";

/**
 * A user's TOTP factor, in the user's partition. The TOTP secret is sealed (AES-256-GCM) under a data key
 * of its own, kept only wrapped (KMS, or the local master key). Recovery codes are kept as HMACs under
 * the same data key, so a copy of the table alone does not let anyone test guesses offline.
 * `lastStep`: the last accepted TOTP time step; a code is accepted only for a later step, so none is
 * accepted twice. A pending enrollment (not confirmed) expires after a day.
 * Bound by the Service (store/service.ts).
 */
export const MfaFactorEntity = new TableEntity({
  model: { entity: "mfaFactor", version: "1", service: "users" },
  attributes: {
    userId: { type: "string", required: true, readOnly: true },
    status: { type: ["pending", "active"] as const, required: true },
    secretBox: { type: "string", required: true },
    wrappedKey: { type: "string", required: true },
    recoveryCodes: { type: "set", items: "string" },
    lastStep: { type: "number" },
    createdAt: { type: "string", required: true },
    enabledAt: { type: "string" },
    expiresAt: { type: "number" },
  },
  indexes: {
    byUser: {
      pk: { field: "pk", composite: ["userId"] },
      sk: { field: "sk", composite: [] },
    },
  },
});

export type StoredMfaFactor = EntityItem<typeof MfaFactorEntity>;
