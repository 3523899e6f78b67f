import type { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * X-Ray tracing (Powertools Tracer): every AWS SDK client is captured, so each DynamoDB and EventBridge
 * call is a subsegment of the invocation. It is loaded only in Lambda with tracing on
 * (POWERTOOLS_TRACE_ENABLED not "false"): the X-Ray SDK it brings installs an async hook that costs
 * every request a few hundred microseconds even when tracing is off (measured, docs/benchmark.md).
 */
const tracingOn = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && process.env.POWERTOOLS_TRACE_ENABLED !== "false";

export const tracer: Tracer | undefined = tracingOn
  ? new (await import("@aws-lambda-powertools/tracer")).Tracer({ serviceName: "users-service" })
  : undefined;

export function traced<T extends object>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
