import { open, seal, userDataKey } from "../keys/index.ts";
import type { MailData } from "./mail.templates.ts";

/** Binds a box to its message: a box copied into another outbox item does not open there. */
const aadOf = (messageId: string) => `mail-outbox:${messageId}`;

/**
 * What a message says (its link, so a token, and the greeting name), sealed with the recipient's data
 * key before it is queued: whoever can read the table, its backups, exports or stream cannot follow the
 * link, and erasing the user (which destroys the key) makes a message still waiting unreadable too.
 */
export async function sealMailData(userId: string, messageId: string, data: MailData): Promise<string> {
  const key = (await userDataKey(userId, { create: true }))!;
  return seal(JSON.stringify(data), key, aadOf(messageId));
}

/** The message's data, or null when the recipient's key is gone (the user was erased). */
export async function openMailData(userId: string, messageId: string, sealed: string): Promise<MailData | null> {
  const key = await userDataKey(userId, { create: false });
  if (!key) return null;
  return JSON.parse(open(sealed, key, aadOf(messageId)).toString("utf8")) as MailData;
}
