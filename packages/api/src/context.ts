import type { Actor } from "@users/core";
import { validationFailed } from "@users/core";
import type { RequestRateLimits } from "./rate-limits.ts";

/** What one HTTP request brings to the procedures, whichever door (tRPC or REST) it came through. */
export interface RequestInfo {
  requestId: string;
  /** The caller's X-Correlation-Id when sane, else the request id: on every log line. */
  correlationId: string;
  sourceIp: string | null;
  userAgent: string | null;
  headers: Headers;
  /** The request's rate limits; each procedure call counts against them. */
  rateLimits?: RequestRateLimits;
}

/** What a procedure may ask the REST response to carry (status, Location, ETag). */
export interface ResponseInfo {
  status?: number;
  headers: Record<string, string>;
}

export interface Context {
  request: RequestInfo;
  response: ResponseInfo;
  actor: Actor;
  /** The caller, established once per HTTP request (a tRPC batch shares it). */
  authentication?: Promise<Actor>;
}

export function createContext(request: RequestInfo): Context {
  return { request, response: { headers: {} }, actor: { kind: "anonymous" } };
}

/**
 * The version a REST client based its change on, from `If-Match: "<version>"` (also `W/"3"` or a bare
 * number); `*` or no header means "the current version".
 */
export function ifMatchVersion(headers: Headers): number | undefined {
  const raw = headers.get("if-match")?.trim();
  if (!raw || raw === "*") return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw validationFailed([{ path: "If-Match", message: 'must be a quoted version such as "3"' }]);
  }
  return version;
}
