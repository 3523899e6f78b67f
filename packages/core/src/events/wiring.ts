import { readConfig } from "../config.ts";

/**
 * The EventBridge bus audit events are published to; unset means "no real bus" (local dispatch). Read
 * on each call (cheap, and tests change it) through the one configuration module.
 */
export function eventBusName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return readConfig(env).eventBusName;
}

/** The `Source` of every event this service publishes. */
export const EVENT_SOURCE = "users.service";
