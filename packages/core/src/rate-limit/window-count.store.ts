import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../config.ts";
import { dynamo } from "../dynamo/client.ts";

/**
 * One counter item per limited caller and window, in the single table:
 * `pk = "$ratelimit#<scope>#<caller>"`, `sk = "<window start, epoch seconds>"`, attributes `count`
 * (admitted calls flushed so far), `instances` (a string set of the API instances that flushed in this
 * window) and `expiresAt` (TTL: the window's end plus a minute). No entity owns it but this file; the
 * stream filter ignores it (it is not an audit item).
 */
export interface WindowCount {
  count: number;
  /** How many API instances have counted calls in this window, this one included. */
  instances: number;
}

/** How long a flush may take before the caller is admitted without it (the limiter fails open). */
const FLUSH_TIMEOUT_MS = 1_000;

export async function addToWindow(input: {
  key: string;
  windowStart: number;
  windowSeconds: number;
  amount: number;
  instanceId: string;
}): Promise<WindowCount> {
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: { pk: `$ratelimit#${input.key}`, sk: String(input.windowStart) },
      UpdateExpression: "ADD #count :amount, #instances :instance SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)",
      ExpressionAttributeNames: { "#count": "count", "#instances": "instances", "#expiresAt": "expiresAt" },
      ExpressionAttributeValues: {
        ":amount": input.amount,
        ":instance": new Set([input.instanceId]),
        ":expiresAt": input.windowStart + input.windowSeconds + 60,
      },
      ReturnValues: "UPDATED_NEW",
    }),
    { abortSignal: AbortSignal.timeout(FLUSH_TIMEOUT_MS) },
  );
  const instances = Attributes?.instances as Set<string> | undefined;
  return { count: Number(Attributes?.count ?? 0), instances: Math.max(1, instances?.size ?? 1) };
}
