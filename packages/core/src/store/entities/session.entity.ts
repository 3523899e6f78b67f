import { TableEntity } from "./table-entity.ts";

/**
 * A sign-in: where and when, and its refresh-token state. Only hashes of refresh tokens are stored. After
 * a rotation the new pair is kept for the grace window encrypted under a key derived from the token it
 * replaced, so only a holder of that token can get it back (two tabs refreshing at once).
 */
export const SessionEntity = new TableEntity(
  {
    model: { entity: "session", version: "1", service: "users" },
    attributes: {
      sessionId: { type: "string", required: true },
      userId: { type: "string", required: true },
      refreshHash: { type: "string", required: true },
      usedHashes: { type: "set", items: "string" },
      rotatedAt: { type: "number" },
      previousHash: { type: "string" },
      graceBox: { type: "string" },
      createdAt: { type: "string", required: true },
      lastUsedAt: { type: "string", required: true },
      userAgent: { type: "string" },
      ip: { type: "string" },
      /** Epoch seconds; TTL removes the item eventually, reads ignore it at once. */
      expiresAt: { type: "number", required: true },
      revokedAt: { type: "string" },
    },
    indexes: {
      byUser: {
        pk: { field: "pk", composite: ["userId"] },
        sk: { field: "sk", composite: ["sessionId"] },
      },
      /** A session by its id alone (DELETE /v1/auth/sessions/{sessionId}). */
      bySession: {
        index: "gsi1",
        pk: { field: "gsi1pk", composite: ["sessionId"] },
        sk: { field: "gsi1sk", composite: [] },
      },
    },
  },
);
