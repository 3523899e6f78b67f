import type { Context, MiddlewareHandler } from "hono";

/**
 * Lambda stops a request after 10 s (infra/api.ts) and API Gateway after 29 s; the service answers
 * well before either. The AWS SDK's own deadlines (core/src/aws-deadlines.ts) usually fire first; this
 * one covers everything else a request waits for (several store calls in a row, a stalled connection).
 */
export const REQUEST_DEADLINE_MS = 8_000;

/**
 * Answers with `onExpired` when the rest of the chain has not answered within `ms`. The work itself is
 * not cancelled: a write may still commit after the client got its 503, which is why the 503 says to
 * retry with the same Idempotency-Key (docs/robustness.md).
 */
export function requestDeadline(ms: number, onExpired: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), ms);
    });
    try {
      const outcome = await Promise.race([next().then(() => "answered" as const), expired]);
      if (outcome === "expired") return onExpired(c);
    } finally {
      clearTimeout(timer);
    }
  };
}
