/**
 * The DynamoDB Streams subscriber that publishes new audit items to EventBridge (the outbox relay).
 *
 * Deployment expectations (infra): an event source mapping on the table's stream with
 * `FunctionResponseTypes: ["ReportBatchItemFailures"]` (without it Lambda ignores `batchItemFailures`
 * and would treat a partly failed batch as done), the filter `Events.streamFilterPattern` (only audit
 * inserts invoke the function), bounded `MaximumRetryAttempts`, `BisectBatchOnFunctionError`, and an
 * on-failure destination (SQS) that receives the batches that still fail; and `EVENT_BUS_NAME` plus
 * `events:PutEvents` on that bus for the function.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import * as Events from "@users/core/events/index";
import { count, flushMetrics, log, logger } from "@users/core/observability/index";

/**
 * Relays one batch of stream records through `publisher` and logs what failed; answers the sequence
 * numbers the stream must deliver again. The Lambda handler and the local relay (`npm start`) share it.
 */
export async function relayBatch(records: Events.StreamRecord[], publisher: Events.Publisher) {
  const result = await Events.relayRecords(records, publisher);
  if (result.failures.length > 0) {
    // Enough to find and replay each event: the audit items stay in the table (user partition, eventId).
    log.error("Audit events not published; the stream will deliver their records again", {
      failed: result.failures.length,
      published: result.published.length,
      failures: result.failures,
    });
  }
  count("EventsPublished", result.published.length);
  count("EventsFailed", result.failures.length);
  return { ...result, failedSequenceNumbers: result.failures.map((f) => f.sequenceNumber) };
}

let publisher: Events.Publisher | undefined;

function eventBridgePublisher(): Events.Publisher {
  const eventBusName = Events.eventBusName();
  // Without a bus, taking records off the stream would lose them: fail the batch instead.
  if (!eventBusName) throw new Error("EVENT_BUS_NAME is not set; the audit event relay cannot publish");
  publisher ??= Events.createPublisher({ sender: Events.eventBridgeSender(), eventBusName });
  return publisher;
}

/** Lambda entry point for the table's stream. */
export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  if (context) logger.addContext(context);
  try {
    const { failedSequenceNumbers, published, skipped } = await relayBatch(
      event.Records as Events.StreamRecord[],
      eventBridgePublisher(),
    );
    log.info("Audit events relayed", {
      records: event.Records.length,
      published: published.length,
      skipped,
      failed: failedSequenceNumbers.length,
    });
    return { batchItemFailures: failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
  } finally {
    flushMetrics();
  }
}
