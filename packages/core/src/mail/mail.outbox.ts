import { randomUUID } from "node:crypto";
import { accountConfig, LINK_ROUTES, OUTBOX_TTL_SECONDS, TOKEN_LIFETIME_SECONDS } from "./account.config.ts";
import type { TokenPurpose } from "../store/entities/one-time-token.entity.ts";
import { tableKeyOf } from "../store/entities/erasure-pointer.entity.ts";
import { store } from "../store/service.ts";
import { hashToken, newTokenSecret } from "./one-time-token.ts";
import { sealMailData } from "./outbox-seal.ts";

export interface Recipient {
  userId: string;
  email: string;
  firstName: string;
}

/** The link a message carries: the console's page for the flow, with the token as query parameter `token`. */
export function linkFor(purpose: TokenPurpose, token: string): string {
  return `${accountConfig().appUrl}/#/${LINK_ROUTES[purpose]}?token=${encodeURIComponent(token)}`;
}

/**
 * Issues a one-time token and queues the message that carries it, in one transaction: the token item
 * (its hash only) and the outbox item the mail sender picks up from the stream. The plaintext token
 * exists only in the message, and sealed in the outbox item until it is sent.
 */
export async function sendTokenMail(purpose: TokenPurpose, to: Recipient, options: { activates?: boolean } = {}): Promise<void> {
  const result = await (await tokenMailTransaction(purpose, to, options)).go();
  if (result.canceled) throw new Error("Queuing the message was canceled");
}

/** The transaction `sendTokenMail` commits (the benchmark's floor sends the same items). */
export async function tokenMailTransaction(purpose: TokenPurpose, to: Recipient, options: { activates?: boolean } = {}) {
  const token = newTokenSecret();
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const lifetime = TOKEN_LIFETIME_SECONDS[purpose];
  const createdAt = now.toISOString();
  const tokenHash = hashToken(token);
  const messageId = randomUUID();
  // Both hold the address: pointers in the user's partition let erasure delete them.
  const pointers = [
    { target: tableKeyOf(store().entities.oneTimeToken.get({ tokenHash }).params()), expiresAt: nowSeconds + lifetime },
    { target: tableKeyOf(store().entities.mailOutbox.get({ messageId }).params()), expiresAt: nowSeconds + OUTBOX_TTL_SECONDS },
  ];
  const data = { appName: accountConfig().appName, link: linkFor(purpose, token), firstName: to.firstName, validHours: lifetime / 3600 };
  const sealed = await sealMailData(messageId, data);
  return store().transaction.write(({ oneTimeToken, mailOutbox, erasurePointer }) => [
    ...pointers.map(({ target, expiresAt }) => erasurePointer.put({ userId: to.userId, ...target, expiresAt }).commit()),
    oneTimeToken
      .create({
        tokenHash,
        purpose,
        userId: to.userId,
        email: to.email,
        ...(options.activates ? { activates: true } : {}),
        createdAt,
        expiresAt: nowSeconds + lifetime,
      })
      .commit(),
    mailOutbox
      .create({
        messageId,
        to: to.email,
        kind: purpose,
        ...sealed,
        createdAt,
        expiresAt: nowSeconds + OUTBOX_TTL_SECONDS,
      })
      .commit(),
  ]);
}
