import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { config } from "../config.ts";
import { dynamo } from "../store/client.ts";

/**
 * Consumers get each event at least once, so a consumer with side effects deduplicates on `eventId`.
 * An in-memory set does not work in Lambda (each concurrent instance has its own memory, and instances
 * come and go), so the record of "already handled" lives in the table: one small item per consumer and
 * event, written with a conditional put, removed by DynamoDB's TTL after `ttlSeconds`.
 *
 * The item is a claim first (`in_progress`, with a lease) and becomes `done` only after the work
 * succeeded; if the work throws the claim is deleted, so a retry does the work instead of skipping it.
 * A consumer that dies mid-work leaves a claim that expires with its lease.
 */
export interface DedupeOptions {
  /** Names the consumer: two consumers of one event each handle it once. */
  consumer: string;
  /** How long to remember a handled event (default 7 days: longer than EventBridge's 24 h of retries). */
  ttlSeconds?: number;
  /** How long a claim blocks other deliveries of the event while the work runs (default 60 s). */
  leaseSeconds?: number;
  tableName?: string;
}

export class EventInProgressError extends Error {
  override readonly name = "EventInProgressError";
}

export type DedupeOutcome<T> = { duplicate: true } | { duplicate: false; result: T };

/** The table key of a dedupe item; prefixed so it can never collide with an ElectroDB entity's keys. */
function dedupeKey(consumer: string, eventId: string) {
  return { pk: `$dedupe#${consumer}#${eventId}`, sk: "$dedupe" };
}

/** Runs `work` unless this consumer already handled `eventId`. */
export async function processOnce<T>(
  eventId: string,
  options: DedupeOptions,
  work: () => Promise<T> | T,
): Promise<DedupeOutcome<T>> {
  const TableName = options.tableName ?? config().tableName;
  const Key = dedupeKey(options.consumer, eventId);
  const now = Date.now();
  try {
    await dynamo().send(
      new PutCommand({
        TableName,
        Item: {
          ...Key,
          consumer: options.consumer,
          eventId,
          status: "in_progress",
          leaseUntil: now + (options.leaseSeconds ?? 60) * 1000,
          expiresAt: Math.floor(now / 1000) + (options.ttlSeconds ?? 7 * 24 * 3600),
        },
        ConditionExpression: "attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":inProgress": "in_progress", ":now": now },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = error.Item as { status?: { S?: string } } | undefined;
    if (existing?.status?.S === "done") return { duplicate: true };
    throw new EventInProgressError(`Event ${eventId} is being handled by another delivery to ${options.consumer}`);
  }
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await dynamo()
      .send(new DeleteCommand({ TableName, Key }))
      .catch(() => {}); // if this fails too, the lease expires and a retry proceeds
    throw error;
  }
  await dynamo().send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: "SET #status = :done, handledAt = :at",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":done": "done", ":at": new Date().toISOString() },
    }),
  );
  return { duplicate: false, result };
}
