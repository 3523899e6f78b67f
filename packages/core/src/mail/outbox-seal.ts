import { randomUUID } from "node:crypto";
import { dataKeyProvider, open, seal } from "../keys/index.ts";
import type { MailData } from "./mail.templates.ts";

/** Binds a message's key (the KMS encryption context) and its box (the AAD) to the message. */
const keyContext = (messageId: string) => ({ purpose: "mail-outbox", messageId });
const aadOf = (messageId: string) => `mail-outbox:${messageId}`;

export interface SealedMail {
  /** The template data (product name, link, greeting name) as an AES-256-GCM box. */
  sealedData: string;
  /** The message's own data key, wrapped (by KMS deployed, by the local master key locally). */
  wrappedKey: string;
}

/**
 * What a message says (its link, so a token, and the greeting name), sealed before it is queued with a
 * data key of its own: whoever can read the table, its backups, exports or stream cannot follow the link.
 * A key per message, not the user's: queuing one costs the same whoever it is for (see `sealNothing`).
 */
export async function sealMailData(messageId: string, data: MailData): Promise<SealedMail> {
  const { plaintext, wrapped } = await dataKeyProvider().generateDataKey(keyContext(messageId));
  return { sealedData: seal(JSON.stringify(data), plaintext, aadOf(messageId)), wrappedKey: wrapped };
}

/** The message's data; throws when the box or its key was not made for this message. */
export async function openMailData(messageId: string, sealed: SealedMail): Promise<MailData> {
  const key = await dataKeyProvider().unwrapDataKey(sealed.wrappedKey, keyContext(messageId));
  return JSON.parse(open(sealed.sealedData, key, aadOf(messageId)).toString("utf8")) as MailData;
}

/** The work of sealing a message, for a request that must not show whether it queued one. */
export async function sealNothing(): Promise<void> {
  await sealMailData(randomUUID(), { appName: "", link: "", firstName: "", validHours: 0 });
}
