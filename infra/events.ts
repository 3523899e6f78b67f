import { nodeEnvironment, nodeFunction } from "./bundling";
import { bus } from "./bus";
import { adminGrantPattern, streamFilterPattern } from "../packages/core/src/events/wiring";
import { handlers } from "./handlers";
import { dataKey } from "./keys";
import { table } from "./storage";

/** How long a failed event waits in a dead-letter queue for someone to look (SQS's maximum). */
const dlqRetention = 14 * 24 * 60 * 60;

export function deadLetterQueue(name: string) {
  return new sst.aws.Queue(name, {
    transform: { queue: (args) => void (args.messageRetentionSeconds = dlqRetention) },
  });
}

export { bus };

/** Stream batches the relay gave up on: their records are described here (shard and sequence range). */
export const auditRelayDlq = deadLetterQueue("AuditRelayDlq");

/**
 * The outbox relay: audit items are written in the same transaction as the change, and this publishes
 * them from the table's stream. Only INSERTs of audit items reach it (the filter is evaluated by Lambda,
 * so other writes cost nothing). A failing batch is split in half until the bad record is isolated,
 * retried a bounded number of times, and then recorded in the dead-letter queue.
 */
export const auditRelay = table.subscribe(
  "AuditRelay",
  {
    ...nodeFunction,
    handler: handlers.auditRelay,
    // Little memory is needed: a batch is at most 100 small records, sent to EventBridge 10 at a time.
    memory: "256 MB",
    // A 100-record batch is 10 PutEvents calls; 30 s leaves room for the SDK's own retries.
    timeout: "30 seconds",
    link: [bus],
    // Personal values in audit items are sealed with the user's data key: the relay reads that key's
    // item (GetItem only) and unwraps it with the KMS key, so consumers get events in the clear.
    environment: { ...nodeEnvironment, EVENT_BUS_NAME: bus.name, TABLE_NAME: table.name, KMS_KEY_ID: dataKey.arn },
    permissions: [
      { actions: ["sqs:SendMessage"], resources: [auditRelayDlq.arn] },
      { actions: ["dynamodb:GetItem"], resources: [table.arn] },
      { actions: ["kms:Decrypt"], resources: [dataKey.arn] },
    ],
  },
  {
    filters: [streamFilterPattern],
    transform: {
      eventSourceMapping: (args) => {
        // From the oldest record still in the stream: a re-created mapping republishes (consumers
        // deduplicate on eventId) rather than silently skipping events.
        args.startingPosition = "TRIM_HORIZON";
        args.batchSize = 100;
        args.bisectBatchOnFunctionError = true;
        args.maximumRetryAttempts = 5;
        // Stream records live 24 hours; give up on a record well before it would vanish unseen.
        args.maximumRecordAgeInSeconds = 6 * 60 * 60;
        // The handler may report the records that failed so the others are not sent again.
        args.functionResponseTypes = ["ReportBatchItemFailures"];
        args.destinationConfig = { onFailure: { destinationArn: auditRelayDlq.arn } };
      },
    },
  },
);

/** Events the example consumer could not handle after its retries. */
export const adminGrantAlertDlq = deadLetterQueue("AdminGrantAlertDlq");

/**
 * Example consumer with an explicit pattern (no catch-all subscribers). EventBridge invokes it
 * asynchronously: Lambda retries a failing invocation twice, EventBridge retries failed deliveries,
 * and both kinds of failure end in the dead-letter queue.
 */
export const adminGrantAlert = bus.subscribe(
  "AdminGrantAlert",
  {
    ...nodeFunction,
    handler: handlers.adminGrantAlert,
    memory: "256 MB",
    timeout: "10 seconds",
    retries: 2,
    // It records handled event ids in the table (deduplication), and touches nothing else.
    link: [table],
    permissions: [{ actions: ["sqs:SendMessage"], resources: [adminGrantAlertDlq.arn] }],
    transform: {
      eventInvokeConfig: (args) => {
        args.maximumEventAgeInSeconds = 60 * 60;
        args.destinationConfig = { onFailure: { destination: adminGrantAlertDlq.arn } };
      },
    },
  },
  {
    // SST names EventBridge's `detail-type` `detailType`.
    pattern: { source: adminGrantPattern.source, detailType: adminGrantPattern["detail-type"], detail: adminGrantPattern.detail },
    transform: {
      target: (args) => {
        args.retryPolicy = { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 60 * 60 };
        args.deadLetterConfig = { arn: adminGrantAlertDlq.arn };
      },
    },
  },
);

/** EventBridge may write to the consumer's dead-letter queue, for this rule only. */
export const adminGrantAlertDlqPolicy = new aws.sqs.QueuePolicy("AdminGrantAlertDlqPolicy", {
  queueUrl: adminGrantAlertDlq.url,
  policy: $jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: adminGrantAlertDlq.arn,
        Condition: { ArnEquals: { "aws:SourceArn": adminGrantAlert.apply((subscriber) => subscriber.nodes.rule.arn) } },
      },
    ],
  }),
});
