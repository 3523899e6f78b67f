/**
 * The mail sender Lambda: subscribed to the table's stream with a filter on new outbox items
 * (`Account.outboxStreamFilter`), it sends each message through Amazon SES from EMAIL_FROM and deletes
 * the item. Deployment (infra/mail.ts): `ReportBatchItemFailures`, bounded retries, batches bisected on
 * error, and an SQS dead-letter queue for what still fails.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { Account } from "@users/core";
import { sesTransport } from "@users/core/mail/ses-transport";
import type { StreamRecord } from "@users/core/events/index";
import { count, flushMetrics, log, logger } from "@users/core/observability/index";

/**
 * Sends the messages of one batch through `transport` and logs what failed (by message id, never the
 * message: it carries a token). The Lambda handler and the local sender (`npm start`) share it.
 */
export async function sendBatch(records: StreamRecord[], transport: Account.MailTransport): Promise<Account.DeliveryResult> {
  const result = await Account.deliverOutboxRecords(records, transport);
  if (result.failures.length > 0) {
    log.error("Messages not sent; the stream will deliver their records again", {
      failed: result.failures.length,
      sent: result.sent,
      failures: result.failures,
    });
  }
  count("MailSent", result.sent);
  count("MailFailed", result.failures.length);
  return result;
}

let ses: Account.MailTransport | undefined;

/** Lambda entry point for the table's stream. */
export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  if (context) logger.addContext(context);
  try {
    ses ??= sesTransport();
    const { failedSequenceNumbers, sent, skipped } = await sendBatch(event.Records as StreamRecord[], ses);
    log.info("Outbox batch handled", { records: event.Records.length, sent, skipped, failed: failedSequenceNumbers.length });
    return { batchItemFailures: failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
  } finally {
    flushMetrics();
  }
}
