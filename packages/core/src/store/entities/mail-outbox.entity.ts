import { type EntityItem } from "electrodb";
import { TableEntity } from "./table-entity.ts";

export const MailKinds = ["verify-email", "password-reset", "invitation"] as const;
export type MailKind = (typeof MailKinds)[number];

/**
 * A message waiting to be sent: written by the account flows, carried by the table's stream to the
 * mail sender, which sends it and then deletes it, never later than its TTL. What it says (the link,
 * and so a token, and the greeting name) is sealed with a data key of its own (`mail/outbox-seal.ts`);
 * only the address is in the clear. Audit events never point here: delivery is not part of the audit trail.
 *
 * Defined without table or client: the Service binds it (store/service.ts).
 */
export const MailOutboxEntity = new TableEntity({
  model: { entity: "mailOutbox", version: "1", service: "users" },
  attributes: {
    messageId: { type: "string", required: true, readOnly: true },
    to: { type: "string", required: true, readOnly: true },
    kind: { type: MailKinds, required: true, readOnly: true },
    /** What the templates fill in (product name, link, greeting name), sealed: an AES-GCM box. */
    sealedData: { type: "string", readOnly: true },
    /** The message's data key, wrapped (both absent on items queued before sealing). */
    wrappedKey: { type: "string", readOnly: true },
    /** The same in the clear, as items queued before sealing hold it (they live a day at most). */
    data: {
      type: "map",
      readOnly: true,
      properties: {
        appName: { type: "string", required: true },
        link: { type: "string", required: true },
        firstName: { type: "string", required: true },
        /** Hours the link stays valid, for the text. */
        validHours: { type: "number", required: true },
      },
    },
    createdAt: { type: "string", required: true, readOnly: true },
    expiresAt: { type: "number", required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: "pk", composite: ["messageId"] },
      sk: { field: "sk", composite: [] },
    },
  },
});

export type StoredMail = EntityItem<typeof MailOutboxEntity>;
