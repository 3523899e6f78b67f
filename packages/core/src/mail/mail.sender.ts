/**
 * The mail sender: picks new outbox items up from the table's stream, renders and sends each through a
 * transport (Amazon SES deployed, the local mailbox under `npm start`), then deletes the item. The same
 * code runs in the Lambda (packages/api/src/mail/sender-handler.ts) and in the local runtime.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { StreamRecord } from "../events/index.ts";
import type { MailKind } from "../store/entities/mail-outbox.entity.ts";
import { db } from "../store/service.ts";
import { renderMail } from "./mail.templates.ts";
import { openMailData } from "./outbox-seal.ts";
import { MAIL_OUTBOX_ENTITY } from "./outbox-wiring.ts";

export { MAIL_OUTBOX_ENTITY, outboxStreamFilter } from "./outbox-wiring.ts";

/** One message as a transport sends it (and as the local mailbox stores it). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: MailKind;
  createdAt: string;
}

export interface MailTransport {
  /** Throws when the message was not accepted; the stream then delivers its record again. */
  send(message: MailMessage): Promise<void>;
}

export interface DeliveryResult {
  sent: number;
  /** Records that are not new outbox items, or items already sent or expired. */
  skipped: number;
  failures: { sequenceNumber: string; messageId?: string; errorName: string; errorMessage: string }[];
  failedSequenceNumbers: string[];
}

/** The outbox item a stream record announces, by id; null for every other record. */
export function outboxMessageId(record: StreamRecord): string | null {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (record.eventName !== "INSERT" || image?.__edb_e__?.S !== MAIL_OUTBOX_ENTITY) return null;
  return image.messageId?.S ?? null;
}

/**
 * Sends the messages among a batch of stream records. The item is read again (consistently) before
 * sending and deleted after, so a record delivered twice sends once unless the process dies between the
 * two (then at least once). Failed records are reported for redelivery.
 */
export async function deliverOutboxRecords(records: StreamRecord[], transport: MailTransport): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, skipped: 0, failures: [], failedSequenceNumbers: [] };
  const outbox = db().mailOutbox;
  for (const [index, record] of records.entries()) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? record.eventID ?? `#${index}`;
    const messageId = outboxMessageId(record);
    if (!messageId) {
      result.skipped += 1;
      continue;
    }
    try {
      const { data: item } = await outbox.get({ messageId }).go({ consistent: true });
      if (!item) {
        result.skipped += 1; // sent already (a redelivered record)
        continue;
      }
      if (item.expiresAt <= Math.floor(Date.now() / 1000)) {
        await outbox.delete({ messageId }).go();
        result.skipped += 1;
        continue;
      }
      const { sealedData, wrappedKey, data } = item;
      const rendered = renderMail(item.kind, sealedData && wrappedKey ? await openMailData(messageId, { sealedData, wrappedKey }) : data!);
      await transport.send({ to: item.to, kind: item.kind, createdAt: item.createdAt, ...rendered });
      await outbox.delete({ messageId }).go();
      result.sent += 1;
    } catch (error) {
      result.failures.push({ sequenceNumber, messageId, errorName: (error as Error).name, errorMessage: (error as Error).message });
      result.failedSequenceNumbers.push(sequenceNumber);
    }
  }
  return result;
}
