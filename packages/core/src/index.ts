export * as User from "./user/index.ts";
export * as Audit from "./audit/index.ts";
export * as Access from "./access/index.ts";
export * as Account from "./account/index.ts";
export { Mfa } from "./user/index.ts";
export * as Clients from "./clients/index.ts";
export * as Events from "./events/index.ts";
export * as Privacy from "./privacy/index.ts";
export * as RateLimit from "./rate-limit/index.ts";
export { Policy, may } from "./policy.ts";
export {
  AppError,
  ErrorCodes,
  validationFailed,
  storeUnavailable,
  errorBodyOf,
  errorFromBody,
  contractErrorJson,
  internalErrorBody,
  VALIDATION_MESSAGE,
  type ErrorBody,
  type ErrorCode,
  type ErrorIssue,
} from "./errors.ts";
export { validationError, validated } from "./validation.ts";
export { withContext, useActor, useContext, type Actor, type RequestContext } from "./context.ts";
export { config, configure, readConfig, type Config, type RateLimitSettings } from "./config.ts";
export { configureKeys, readKeysConfig, type KeysConfig } from "./keys/index.ts";
export { awsClientDeadlines, isStoreUnavailable, AWS_CALL_LIMITS } from "./aws-deadlines.ts";
export { ensureTable, tableIsReachable, createTableInput, tableLayout } from "./store/table.ts";
export { dynamo } from "./store/client.ts";
export type { Page } from "./pagination.ts";
export { idempotent } from "./idempotency.ts";
export * as Observability from "./observability/index.ts";
