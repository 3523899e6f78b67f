/**
 * Mail: the one-time tokens of the account flows and the messages that carry them. A message is queued
 * in the table (the outbox) in one transaction with its token; the sender picks it up from the stream,
 * renders it and sends it (SES deployed, the local mailbox under `npm start`). Also the account flows'
 * settings (product name, links, sender address, whether self sign-up is verified first).
 */
export {
  accountConfig,
  readAccountConfig,
  REQUESTS_PER_HOUR,
  type AccountConfig,
} from "./account.config.ts";
export { sendTokenMail, linkFor, type Recipient } from "./mail.outbox.ts";
export { sealNothing } from "./outbox-seal.ts";
export { hashToken, invalidToken, newTokenSecret, spendToken } from "./one-time-token.ts";
export {
  deliverOutboxRecords,
  outboxStreamFilter,
  outboxMessageId,
  MAIL_OUTBOX_ENTITY,
  type MailMessage,
  type MailTransport,
  type DeliveryResult,
} from "./mail.sender.ts";
export { renderMail, type MailData, type RenderedMail } from "./mail.templates.ts";
