import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Business metrics as CloudWatch embedded metric format (Powertools Metrics), flushed after each Lambda
 * invocation. Disabled in dev mode (POWERTOOLS_DEV), so local runs and tests print none.
 */
export const metrics = new Metrics({ namespace: "UsersService", serviceName: "users-service" });

export type MetricName = "SignIns" | "FailedSignIns" | "UsersCreated" | "EventsPublished" | "EventsFailed";

export function count(name: MetricName, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Writes what was counted during this invocation (a no-op when nothing was). */
export function flushMetrics(): void {
  metrics.publishStoredMetrics();
}
