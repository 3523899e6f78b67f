import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../config.ts";
import { dynamo } from "../store/client.ts";

/**
 * One counter item per limited caller and window, in the single table:
 * `pk = "$ratelimit#<scope>#<caller>"`, `sk = "<window start, epoch seconds>"`, attributes `count`
 * (admitted calls flushed so far), `instances` (a string set of the API instances that flushed in this
 * window) and `expiresAt` (TTL: the window's end plus a minute). No entity owns it but this file; the
 * stream filter ignores it (it is not an audit item).
 */
export interface WindowCount {
  /** False when `ceiling` was given and the count was already there: nothing was added. */
  added: boolean;
  count: number;
  /** How many API instances have counted calls in this window, this one included. */
  instances: number;
}

/** How long a flush may take before the caller is admitted without it (the limiter fails open). */
const FLUSH_TIMEOUT_MS = 2_000;

export async function addToWindow(input: {
  key: string;
  windowStart: number;
  windowSeconds: number;
  amount: number;
  instanceId: string;
  /** Add only if the count stays at or below this (an exact check-and-count). */
  ceiling?: number;
}): Promise<WindowCount> {
  const conditional = input.ceiling !== undefined;
  try {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: { pk: `$ratelimit#${input.key}`, sk: String(input.windowStart) },
      UpdateExpression: "ADD #count :amount, #instances :instance SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
      ...(conditional ? { ConditionExpression: "attribute_not_exists(#count) OR #count <= :most" } : {}),
      ExpressionAttributeNames: { "#count": "count", "#instances": "instances", "#expiresAt": "expiresAt" },
      ExpressionAttributeValues: {
        ":amount": input.amount,
        ...(conditional ? { ":most": input.ceiling! - input.amount } : {}),
        ":instance": new Set([input.instanceId]),
        ":expiresAt": input.windowStart + input.windowSeconds + 60,
      },
      ReturnValues: "UPDATED_NEW",
    }),
    { abortSignal: AbortSignal.timeout(FLUSH_TIMEOUT_MS) },
  );
  const instances = Attributes?.instances as Set<string> | undefined;
  return { added: true, count: Number(Attributes?.count ?? 0), instances: Math.max(1, instances?.size ?? 1) };
  } catch (error) {
    if (!(conditional && error instanceof ConditionalCheckFailedException)) throw error;
    return { added: false, count: input.ceiling!, instances: 0 };
  }
}
