import { NodeHttpHandler } from "@smithy/node-http-handler";
import { config } from "./config.ts";

/**
 * Deadlines for every AWS SDK client the service makes (DynamoDB, DynamoDB Streams, EventBridge), so a
 * stalled or unreachable endpoint fails fast instead of holding a request open. Worst case for one
 * call: `maxAttempts × (connectionTimeout + attempt timeout)` plus the SDK's short backoff, up to
 * 3 × 8 s by default; the HTTP app's own deadline (packages/api/src/request-deadline.ts) answers first anyway.
 */
export const AWS_CALL_LIMITS = {
  /** Opening a TCP (and TLS) connection (generous: a busy machine running DynamoDB Local is slow to accept). */
  connectionTimeoutMs: 3_000,
  /** Attempts in all, the first included (the SDK's standard retry strategy, with backoff). */
  maxAttempts: 3,
} as const;

/**
 * The client options that put those deadlines on an AWS SDK v3 client. One attempt, from sending the
 * request to the end of the response, may take `config().awsAttemptTimeoutMs` (5 s: DynamoDB answers in
 * milliseconds, but DynamoDB Local on a loaded machine can take seconds, so this is not tighter); a
 * longer one also stretches the connection timeout (batch work against a slow DynamoDB Local).
 */
export function awsClientDeadlines() {
  const attempt = config().awsAttemptTimeoutMs;
  return {
    maxAttempts: AWS_CALL_LIMITS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.max(attempt, AWS_CALL_LIMITS.connectionTimeoutMs),
      requestTimeout: attempt,
      throwOnRequestTimeout: true,
    }),
  };
}

const unavailableNames = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
]);
const networkCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * True when an error says the store (an AWS service) could not be reached or did not answer in time,
 * after the SDK's retries: the request may succeed later, so callers get 503 `STORE_UNAVAILABLE`.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, $metadata } = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    if (name && unavailableNames.has(name)) return true;
    if (code && networkCodes.has(code)) return true;
    if ($metadata?.httpStatusCode && $metadata.httpStatusCode >= 500) return true;
  }
  return false;
}
