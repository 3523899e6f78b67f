/**
 * What the mail sender and the infrastructure must agree on, as plain data (infra/mail.ts imports it).
 */

/** ElectroDB's entity marker on outbox items (the entity's `model.entity`). */
export const MAIL_OUTBOX_ENTITY = "mailOutbox";

/**
 * The event source mapping's filter in AWS: only new outbox items invoke the sender (their deletion once
 * sent, or their TTL expiry, is a REMOVE). The sender applies the same test itself.
 */
export const outboxStreamFilter = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { __edb_e__: { S: [MAIL_OUTBOX_ENTITY] } } },
};
