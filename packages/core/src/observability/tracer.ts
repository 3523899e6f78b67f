import { Tracer } from "@aws-lambda-powertools/tracer";

/**
 * X-Ray tracing (Powertools Tracer): every AWS SDK client is captured, so each DynamoDB and EventBridge
 * call is a subsegment of the invocation. Outside Lambda tracing is off and clients are left as they are.
 */
export const tracer = new Tracer({ serviceName: "users-service" });

export function traced<T extends object>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
