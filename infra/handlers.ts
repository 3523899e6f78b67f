/**
 * Every Lambda entry point the stack deploys, in one place: `<file without extension>.<export>`,
 * relative to the repository root (where sst.config.ts is). The infra tests check each file exists.
 */
export const handlers = {
  /** The whole HTTP API: tRPC, REST, docs, health (packages/api/src/lambda.ts). */
  api: "packages/api/src/lambda.handler",
  /** Relays audit items from the table's stream to the EventBridge bus. */
  auditRelay: "packages/api/src/events/relay-handler.handler",
  /** Example consumer: alerts when a user is granted the admin role. */
  adminGrantAlert: "packages/api/src/events/admin-grant-alert.handler",
  /** Sends outbox items (account mail) from the table's stream through SES. */
  mailSender: "packages/api/src/mail/sender-handler.handler",
  /** Turns each upload in the avatars bucket into the user's 256×256 WebP avatar (S3 notification). */
  avatarProcessor: "packages/api/src/avatars/processor.handler",
} as const;

export type HandlerName = keyof typeof handlers;

/** `packages/api/src/lambda.handler` → `packages/api/src/lambda` and `handler`. */
export function splitHandler(handler: string): { module: string; exportName: string } {
  const dot = handler.lastIndexOf(".");
  return { module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}
