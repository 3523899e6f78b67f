export * as User from "./user/index.ts";
export * as Audit from "./audit/index.ts";
export * as Auth from "./auth/index.ts";
export * as Events from "./events/index.ts";
export * as Privacy from "./privacy/index.ts";
export { Policy } from "./policy.ts";
export {
  AppError,
  ErrorCodes,
  isAppError,
  validationFailed,
  VALIDATION_MESSAGE,
  type ErrorCode,
  type ErrorIssue,
} from "./errors.ts";
export { withContext, useActor, useContext, type Actor, type RequestContext } from "./context.ts";
export { config, readConfig, type Config } from "./config.ts";
export { ensureTable, tableIsReachable, createTableInput, tableLayout } from "./dynamo/table.ts";
export type { Page } from "./pagination.ts";
export { idempotent } from "./idempotency.ts";
export * as Observability from "./observability/index.ts";
