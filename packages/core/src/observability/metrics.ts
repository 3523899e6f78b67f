import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Business metrics as CloudWatch embedded metric format (Powertools Metrics), flushed after each Lambda
 * invocation. Only Lambda emits them (CloudWatch reads EMF from its logs); the local server, tools and
 * tests count nothing.
 */
export const metrics = new Metrics({ namespace: "UsersService", serviceName: "users-service" });
const emitting = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);

export type MetricName = "SignIns" | "FailedSignIns" | "UsersCreated" | "EventsPublished" | "EventsFailed" | "MailSent" | "MailFailed";

export function count(name: MetricName, value = 1): void {
  if (emitting && value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes what was counted during this invocation (a no-op when nothing was). */
export function flushMetrics(): void {
  if (emitting) metrics.publishStoredMetrics();
}
