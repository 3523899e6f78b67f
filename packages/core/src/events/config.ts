/**
 * Settings of the events module, read from the environment on each call (cheap, and tests can change
 * them). Kept here rather than in `../config.ts` until the stack passes them; see the README.
 */

/** The EventBridge bus audit events are published to; unset means "no real bus" (local dispatch). */
export function eventBusName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.EVENT_BUS_NAME || undefined;
}

/** The `Source` of every event this service publishes. */
export const EVENT_SOURCE = "users.service";
