import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { AppError, VALIDATION_MESSAGE, errorBodyOf, internalErrorBody, validationError, type ErrorBody, type ErrorCode } from "@users/core";
import { ZodError } from "zod";

/** The tRPC code (and so the HTTP status) of each contract error code: the one mapping, at the edge. */
const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION_FAILED: "BAD_REQUEST",
  MALFORMED_JSON: "BAD_REQUEST",
  INVALID_CURSOR: "BAD_REQUEST",
  INVALID_TOKEN: "BAD_REQUEST",
  BATCH_TOO_LARGE: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  TOKEN_EXPIRED: "UNAUTHORIZED",
  INVALID_REFRESH_TOKEN: "UNAUTHORIZED",
  MFA_REQUIRED: "UNAUTHORIZED",
  INVALID_MFA_CODE: "UNAUTHORIZED",
  INVALID_CLIENT: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  ACCOUNT_SUSPENDED: "FORBIDDEN",
  ACCOUNT_PENDING: "FORBIDDEN",
  INSUFFICIENT_SCOPE: "FORBIDDEN",
  USER_NOT_FOUND: "NOT_FOUND",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_SUPPORTED",
  EMAIL_TAKEN: "CONFLICT",
  USERNAME_TAKEN: "CONFLICT",
  LAST_ADMIN: "CONFLICT",
  IDEMPOTENCY_IN_PROGRESS: "CONFLICT",
  MFA_ALREADY_ENABLED: "CONFLICT",
  VERSION_MISMATCH: "PRECONDITION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  TOO_MANY_ATTEMPTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  NOT_READY: "SERVICE_UNAVAILABLE",
  STORE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** The HTTP status of a contract error code, as tRPC and the REST adapter give it. */
export function httpStatusFor(code: ErrorCode): number {
  return getHTTPStatusCodeFromError(new TRPCError({ code: trpcCodeOf[code] }));
}

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error });
}

const byTRPCCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorBody>> = {
  PARSE_ERROR: { code: "MALFORMED_JSON", message: "The body is not valid JSON." },
  NOT_FOUND: { code: "NOT_FOUND", message: "There is nothing here." },
  METHOD_NOT_SUPPORTED: { code: "METHOD_NOT_ALLOWED", message: "This path does not take this method." },
  UNSUPPORTED_MEDIA_TYPE: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json." },
  PAYLOAD_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE", message: "The body is larger than 64 KiB." },
  BAD_REQUEST: { code: "VALIDATION_FAILED", message: VALIDATION_MESSAGE },
};

/** The domain error behind a tRPC error: raised by a procedure, or the input's validation. */
export function appErrorOf(error: TRPCError): AppError | undefined {
  const cause = error.cause;
  if (cause instanceof AppError) return cause;
  return cause instanceof ZodError && error.code === "BAD_REQUEST" ? validationError(cause) : undefined;
}

/** The contract's error body of whatever a procedure or tRPC's own plumbing threw. */
export function trpcErrorBody(error: TRPCError): ErrorBody {
  const appError = appErrorOf(error);
  if (appError) return errorBodyOf(appError);
  // tRPC's own check of `maxBatchSize` (app.ts) says so only in its message.
  if (error.code === "BAD_REQUEST" && /^Batch call exceeds maximum size/.test(error.message)) {
    return { code: "BATCH_TOO_LARGE", message: "A batch holds at most 10 calls." };
  }
  return byTRPCCode[error.code] ?? internalErrorBody;
}
