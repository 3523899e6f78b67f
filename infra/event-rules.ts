/**
 * The event wiring that the handlers and the infrastructure must agree on, as plain data.
 * See /work/shared/api-contract.md, "Audit events".
 */

/** ElectroDB writes the entity name into this attribute of every item. */
export const entityAttribute = "__edb_e__";
/** The audit entity's name (packages/core/src/audit/audit.entity.ts, `model.entity`). */
export const auditEntity = "auditEvent";

/**
 * Lambda event filter for the table's stream: only newly written audit items. Audit items are never
 * updated, and their TTL expiry is a REMOVE, so INSERT is the one event that means "publish this".
 */
export const auditStreamFilter = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { [entityAttribute]: { S: [auditEntity] } } },
};

/** The mail outbox entity's name (packages/core/src/account/mail-outbox.entity.ts, `model.entity`). */
export const mailOutboxEntity = "mailOutbox";

/** Lambda event filter for the mail sender: only new outbox items (their deletion after sending is a REMOVE). */
export const outboxStreamFilter = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { [entityAttribute]: { S: [mailOutboxEntity] } } },
};

/** EventBridge `Source` of every audit event. */
export const eventSource = "users.service";

/**
 * The example consumer's rule: a role grant or a creation whose resulting roles include admin
 * (EventBridge matches an array field when any element matches). The handler still compares `from`
 * and `to`. Same pattern as packages/api/src/events/admin-grant-alert.ts (a test keeps them equal).
 */
export const adminGrantPattern = {
  source: [eventSource],
  detailType: ["user.role_added", "user.created"],
  detail: { changes: { roles: { to: ["admin"] } } },
};
