import { Observability } from "@users/core";
import type { Context } from "aws-lambda";
import { getConnInfo, handle } from "hono/aws-lambda";
import { createApp } from "./app.ts";

const app = createApp({ clientIp: (c) => getConnInfo(c as never).remote.address });
const serve = handle(app);

/**
 * API Gateway (HTTP API, payload v2) entry point for the whole API. Each invocation's log lines carry
 * the Lambda context, and the metrics it counted are flushed when it ends.
 */
export async function handler(event: Parameters<typeof serve>[0], context: Context) {
  Observability.logger.addContext(context);
  try {
    return await serve(event, context);
  } finally {
    Observability.flushMetrics();
  }
}
