/**
 * The one error family the domain raises on purpose. Each has a stable `code` from the contract;
 * transports map the code to a status once, at the edge. Anything else that escapes is a bug and is
 * reported as INTERNAL without detail.
 */
export const ErrorCodes = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "INVALID_CURSOR",
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
  "EMAIL_TAKEN",
  "USERNAME_TAKEN",
  "LAST_ADMIN",
  "MFA_ALREADY_ENABLED",
  "IDEMPOTENCY_IN_PROGRESS",
  "VERSION_MISMATCH",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_KEY_REUSED",
  "RATE_LIMITED",
  "TOO_MANY_ATTEMPTS",
  "INTERNAL",
  "NOT_READY",
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

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The message of every VALIDATION_FAILED whose `issues` say what is wrong. */
export const VALIDATION_MESSAGE = "The request is not valid.";
export const validationFailed = (issues: ErrorIssue[]) =>
  new AppError("VALIDATION_FAILED", VALIDATION_MESSAGE, { issues });

export const userNotFound = () => new AppError("USER_NOT_FOUND", "No user with this id exists.");
export const versionMismatch = (current: number) =>
  new AppError("VERSION_MISMATCH", `The user has changed: its current version is ${current}.`);
