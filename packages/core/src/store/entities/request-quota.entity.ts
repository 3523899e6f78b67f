import { TableEntity } from "./table-entity.ts";

/**
 * Recent requests for one address and one purpose (password-reset mail, verification resends): a
 * sliding one-hour window. The key is a SHA-256 of purpose and address, so addresses that have no
 * account are not kept in the clear. `revision` makes the read-modify-write safe under concurrency.
 *
 * Defined without table or client: the Service binds it (store/service.ts).
 */
export const RequestQuotaEntity = new TableEntity({
  model: { entity: "requestQuota", version: "1", service: "users" },
  attributes: {
    quotaKey: { type: "string", required: true, readOnly: true },
    /** Epoch milliseconds of the requests admitted in the last hour. */
    requestedAt: { type: "list", items: { type: "number" }, required: true },
    revision: { type: "number", required: true },
    expiresAt: { type: "number", required: true },
  },
  indexes: {
    byKey: {
      pk: { field: "pk", composite: ["quotaKey"] },
      sk: { field: "sk", composite: [] },
    },
  },
});
