import { Logger } from "@aws-lambda-powertools/logger";
import { currentContext } from "../context.ts";

/**
 * Structured logs (Powertools Logger): JSON in Lambda, with the Lambda context added by the handler;
 * indented and readable in a terminal when POWERTOOLS_DEV is set (npm start sets it). Every line carries
 * the request id and correlation id of the request in progress, and secrets never reach a line.
 */
export const logger = new Logger({ serviceName: "users-service" });

const secretKey = /pass(word)?|hash|secret|token|authorization|cookie|^d$/i;

/** A copy with every secret-looking field (password, hashes, tokens, keys) replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, secretKey.test(key) ? "[REDACTED]" : redact(item, depth + 1)]),
  );
}

function withRequest(attributes: Record<string, unknown>): Record<string, unknown> {
  const context = currentContext();
  const ids = context ? { requestId: context.requestId, correlationId: context.correlationId ?? context.requestId } : {};
  return { ...ids, ...(redact(attributes) as Record<string, unknown>) };
}

export const log = {
  info: (message: string, attributes: Record<string, unknown> = {}) => logger.info(message, withRequest(attributes)),
  warn: (message: string, attributes: Record<string, unknown> = {}) => logger.warn(message, withRequest(attributes)),
  error: (message: string, attributes: Record<string, unknown> = {}) => logger.error(message, withRequest(attributes)),
};
