/**
 * The one error family the domain raises on purpose. Each has a stable `code` from the contract;
 * transports map the code to a status once, at the edge. Anything else that escapes is a bug and is
 * reported as INTERNAL without detail.
 */
export const ErrorCodes = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "INVALID_CURSOR",
  "INVALID_TOKEN",
  "BATCH_TOO_LARGE",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "TOKEN_EXPIRED",
  "INVALID_REFRESH_TOKEN",
  "MFA_REQUIRED",
  "INVALID_MFA_CODE",
  "INVALID_CLIENT",
  "FORBIDDEN",
  "ACCOUNT_SUSPENDED",
  "ACCOUNT_PENDING",
  "INSUFFICIENT_SCOPE",
  "USER_NOT_FOUND",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "EMAIL_TAKEN",
  "USERNAME_TAKEN",
  "LAST_ADMIN",
  "MFA_ALREADY_ENABLED",
  "IDEMPOTENCY_IN_PROGRESS",
  "MFA_ALREADY_ENABLED",
  "VERSION_MISMATCH",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_KEY_REUSED",
  "RATE_LIMITED",
  "TOO_MANY_ATTEMPTS",
  "INTERNAL",
  "NOT_READY",
  "STORE_UNAVAILABLE",
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      issues?: ErrorIssue[];
      retryAfterSeconds?: number;
      /** MFA_REQUIRED: the token to send with the code to /v1/auth/mfa/verify. */
      mfaToken?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** The contract's error body, without the request id the transport adds. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
  /** Not part of the body: REST sends it as `Retry-After`, tRPC in `error.data`. */
  retryAfterSeconds?: number;
  /** MFA_REQUIRED only: the token for /v1/auth/mfa/verify (REST body and tRPC `error.data`). */
  mfaToken?: string;
}

export const internalErrorBody: ErrorBody = { code: "INTERNAL", message: "Something went wrong on our side." };

/** The body of a domain error: an INTERNAL one never says more than that. */
export function errorBodyOf(error: AppError): ErrorBody {
  if (error.code === "INTERNAL") return internalErrorBody;
  const { issues, retryAfterSeconds, mfaToken } = error.details;
  return {
    code: error.code,
    message: error.message,
    ...(issues ? { issues } : {}),
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    ...(mfaToken ? { mfaToken } : {}),
  };
}

/** The same error again from its body (a stored idempotent response). */
export function errorFromBody(body: ErrorBody): AppError {
  const { code, message, issues, retryAfterSeconds } = body;
  return new AppError(code, message, { ...(issues ? { issues } : {}), ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
}

/** What a REST client reads: `{ code, message, issues?, requestId }`. */
export function contractErrorJson(body: ErrorBody, requestId: string) {
  return {
    code: body.code,
    message: body.message,
    ...(body.issues ? { issues: body.issues } : {}),
    ...(body.mfaToken ? { mfaToken: body.mfaToken } : {}),
    requestId,
  };
}

/** The message of every VALIDATION_FAILED whose `issues` say what is wrong. */
export const VALIDATION_MESSAGE = "The request is not valid.";
export const validationFailed = (issues: ErrorIssue[]) =>
  new AppError("VALIDATION_FAILED", VALIDATION_MESSAGE, { issues });

export const userNotFound = () => new AppError("USER_NOT_FOUND", "No user with this id exists.");
export const versionMismatch = (current: number) =>
  new AppError("VERSION_MISMATCH", `The user has changed: its current version is ${current}.`);

/** The store did not answer in time (or at all): the client may retry, with its Idempotency-Key for a write. */
export const storeUnavailable = (cause?: unknown) =>
  new AppError("STORE_UNAVAILABLE", "The data store did not answer in time; retry shortly.", { retryAfterSeconds: 2, cause });
