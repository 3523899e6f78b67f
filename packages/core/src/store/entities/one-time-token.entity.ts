import { type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";

export const TokenPurposes = ["verify-email", "password-reset", "invitation"] as const;
export type TokenPurpose = (typeof TokenPurposes)[number];

/**
 * A one-time token of the account flows, stored only as the SHA-256 of its 256 random bits. It is
 * spent by a conditional delete, so it works once; `expiresAt` (epoch seconds) is also the table's
 * TTL attribute, but TTL deletion is lazy, so reads compare it with the clock themselves.
 *
 * Defined without table or client: the Service binds it (store/service.ts).
 */
export const OneTimeTokenEntity = new TableEntity({
  model: { entity: "oneTimeToken", version: "1", service: "users" },
  attributes: {
    tokenHash: { type: "string", required: true, readOnly: true },
    purpose: { type: TokenPurposes, required: true, readOnly: true },
    userId: { type: "string", required: true, readOnly: true },
    /** The address the token was sent to: a token for an address the user no longer has is void. */
    email: { type: "string", required: true, readOnly: true },
    /** A verification that also activates the user (self sign-up with REQUIRE_EMAIL_VERIFICATION). */
    activates: { type: "boolean" },
    createdAt: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    byHash: {
      pk: { field: "pk", composite: ["tokenHash"] },
      sk: { field: "sk", composite: [] },
    },
  },
});

export type StoredOneTimeToken = EntityItem<typeof OneTimeTokenEntity>;
