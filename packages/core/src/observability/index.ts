export { log, logger, redact } from "./logger.ts";
export { count, flushMetrics, metrics, type MetricName } from "./metrics.ts";
export { tracer, traced } from "./tracer.ts";
