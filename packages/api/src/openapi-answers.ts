import type { ErrorCode } from "@users/core";
import { httpStatusFor } from "./error-mapping.ts";

/**
 * Every answer a REST operation can give, computed from what the operation is rather than listed by
 * hand: which statuses, which contract codes each status carries, and which headers come with it. A new
 * procedure is covered as soon as it has OpenAPI meta; it only names the domain codes that are its own
 * (`errorCodes` in its meta, e.g. EMAIL_TAKEN).
 */
export interface OperationFacts {
  method: string;
  /** Open to anonymous callers (`protect: false`). A token, when sent, is still checked. */
  anonymous: boolean;
  /** Whether a bearer token is read at all (the OAuth token endpoint authenticates the client instead). */
  readsBearer?: boolean;
  /** Path parameters, and whether each one's schema is an enum (a bad enum value is 400, not 404). */
  pathParams: { name: string; isEnum: boolean }[];
  queryParams: string[];
  takesIfMatch: boolean;
  takesIdempotencyKey: boolean;
  /** Codes the procedure itself raises beyond those every operation like it can answer. */
  ownCodes: readonly ErrorCode[];
}

const bodyMethods = new Set(["post", "put", "patch"]);

/** The contract codes an operation can answer with, from its facts. */
export function errorCodesOf(facts: OperationFacts): ErrorCode[] {
  const codes = new Set<ErrorCode>(["VALIDATION_FAILED", "RATE_LIMITED", "INTERNAL", "STORE_UNAVAILABLE"]);
  const add = (...more: ErrorCode[]) => more.forEach((code) => codes.add(code));
  // A bearer token, when sent, is verified on every operation, anonymous ones included.
  if (facts.readsBearer !== false) add("UNAUTHENTICATED", "TOKEN_EXPIRED", "ACCOUNT_SUSPENDED", "ACCOUNT_PENDING");
  if (!facts.anonymous) add("FORBIDDEN", "INSUFFICIENT_SCOPE");
  if (bodyMethods.has(facts.method)) add("MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE");
  if (facts.queryParams.includes("cursor")) add("INVALID_CURSOR");
  if (facts.pathParams.some((p) => p.name === "userId")) add("USER_NOT_FOUND");
  if (facts.pathParams.some((p) => p.name !== "userId" && !p.isEnum)) add("NOT_FOUND");
  if (facts.takesIdempotencyKey) add("IDEMPOTENCY_IN_PROGRESS", "IDEMPOTENCY_KEY_REUSED");
  if (facts.takesIfMatch) add("VERSION_MISMATCH");
  add(...facts.ownCodes);
  return [...codes];
}

/** The codes of each error status, statuses ascending. */
export function errorStatusesOf(facts: OperationFacts): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(facts)) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** Headers the contract names, as reusable OpenAPI header objects under components.headers. */
export const contractHeaders = {
  XRequestId: {
    description: "The request's id: the caller's X-Request-Id when sane, else a new one.",
    required: true,
    schema: { type: "string" },
  },
  ETag: {
    description: 'The user\'s version, quoted: `"3"`. Send it back as If-Match.',
    required: true,
    schema: { type: "string", pattern: '^"\\d+"$' },
  },
  RetryAfter: {
    description: "Seconds to wait before trying again.",
    required: true,
    schema: { type: "integer", minimum: 0 },
  },
  RateLimitLimit: {
    description: "The request limit of the window that counts this request (when a rate limit applies).",
    schema: { type: "integer", minimum: 0 },
  },
  RateLimitRemaining: {
    description: "Requests left in that window.",
    schema: { type: "integer", minimum: 0 },
  },
  RateLimitReset: {
    description: "Seconds until that window resets.",
    schema: { type: "integer", minimum: 0 },
  },
} as const;

const ref = (name: keyof typeof contractHeaders) => ({ $ref: `#/components/headers/${name}` });

/** The headers every response may carry: its request id, and the rate-limit state when a limit applies. */
export function commonResponseHeaders(): Record<string, unknown> {
  return {
    "X-Request-Id": ref("XRequestId"),
    "RateLimit-Limit": ref("RateLimitLimit"),
    "RateLimit-Remaining": ref("RateLimitRemaining"),
    "RateLimit-Reset": ref("RateLimitReset"),
  };
}

/** Headers an error status adds: Retry-After on 429 and 503. */
export function errorResponseHeaders(status: number): Record<string, unknown> {
  return status === 429 || status === 503 ? { "Retry-After": ref("RetryAfter") } : {};
}

export const etagHeader = () => ref("ETag");

/** What a client should know about a status, in a sentence. */
export const statusSummary: Record<number, string> = {
  400: "The request is not valid",
  401: "Not signed in, or the credentials are not valid",
  403: "Signed in, but not allowed",
  404: "No such resource",
  409: "Conflicts with the current state",
  412: "If-Match does not name the current version",
  413: "The body is larger than 64 KiB",
  415: "The body is not JSON",
  422: "This Idempotency-Key was used with another request",
  429: "Too many requests: wait Retry-After seconds",
  500: "Something went wrong on the service's side",
  503: "The store is unavailable: retry after Retry-After seconds (writes with the same Idempotency-Key)",
};
