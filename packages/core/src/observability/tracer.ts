import type { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * X-Ray tracing (Powertools Tracer): every AWS SDK client is captured, so each DynamoDB and EventBridge
 * call is a subsegment of the invocation. Opt-in, in Lambda only: POWERTOOLS_TRACE_ENABLED=true, with the
 * function's active tracing on (docs/deploy.md). Without active tracing there is no trace to add to,
 * and the X-Ray SDK still costs: ~20 ms of every cold start and an async hook that costs every request a
 * few hundred microseconds (measured, docs/benchmark.md).
 */
const tracingOn = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && process.env.POWERTOOLS_TRACE_ENABLED === "true";

export const tracer: Tracer | undefined = tracingOn
  ? new (await import("@aws-lambda-powertools/tracer")).Tracer({ serviceName: "users-service" })
  : undefined;

export function traced<T extends object>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
