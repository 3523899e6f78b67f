/**
 * The event wiring that the handlers and the infrastructure must agree on, as plain data: infra/ imports
 * this module as it is (it imports nothing), so there is one copy of each value.
 */

/** The `Source` of every event this service publishes. */
export const EVENT_SOURCE = "users.service";

/** ElectroDB writes the entity name into this attribute of every item. */
export const ENTITY_ATTRIBUTE = "__edb_e__";
/** The audit entity's name (store/entities/audit-event.entity.ts, `model.entity`). */
export const AUDIT_ENTITY = "auditEvent";

/**
 * The event source mapping's filter for the relay Lambda, so it is only invoked for new audit items:
 * audit items are never updated and their TTL expiry is a REMOVE, so INSERT is the one event that means
 * "publish this". The relay applies the same test itself (`auditEventFromRecord`), so an unfiltered
 * stream is safe too.
 */
export const streamFilterPattern = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { [ENTITY_ATTRIBUTE]: { S: [AUDIT_ENTITY] } } },
};

/**
 * The example consumer's rule (packages/api/src/events/admin-grant-alert.ts), as EventBridge's JSON
 * pattern: a role grant or a creation whose resulting roles include admin (EventBridge matches an array
 * field when any element matches). The handler still compares `from` and `to`.
 */
export const adminGrantPattern = {
  source: [EVENT_SOURCE],
  "detail-type": ["user.role_added", "user.created"],
  detail: { changes: { roles: { to: ["admin"] } } },
};
