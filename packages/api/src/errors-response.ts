import type { Context as HonoContext } from "hono";
import { contractErrorJson, internalErrorBody, type ErrorBody } from "@users/core";
import { httpStatusFor } from "./error-mapping.ts";

/** A REST error in the contract's shape, for errors raised outside the procedures (routing, limits). */
export function errorResponse(c: HonoContext, body: ErrorBody): Response {
  const status = httpStatusFor(body.code);
  const headers: Record<string, string> = body.retryAfterSeconds ? { "Retry-After": String(body.retryAfterSeconds) } : {};
  return c.json(contractErrorJson(body, c.get("requestId") as string), status as 400, headers);
}

/**
 * trpc-to-openapi answers errors as `{ ...tRPC error shape, code: <tRPC code> }`; REST clients get the
 * contract's body instead: `{ code, message, issues?, requestId }`, plus `Retry-After` where it applies.
 * The shape holds what the error formatter made of the error (trpc.ts): its message and, in `data`, the
 * contract code, issues and retry delay.
 */
export async function toContractErrorResponse(response: Response, requestId: string): Promise<Response> {
  if (response.status < 400) {
    if (response.status === 204) response.headers.delete("content-type");
    return response;
  }
  const shape = (await response.json().catch(() => null)) as {
    message?: string;
    data?: Partial<Pick<ErrorBody, "code" | "issues" | "retryAfterSeconds" | "mfaToken">>;
  } | null;
  const { code, issues, retryAfterSeconds, mfaToken } = shape?.data ?? {};
  const body: ErrorBody =
    code && shape?.message
      ? { code, message: shape.message, ...(issues ? { issues } : {}), ...(retryAfterSeconds ? { retryAfterSeconds } : {}), ...(mfaToken ? { mfaToken } : {}) }
      : internalErrorBody;
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json");
  if (body.retryAfterSeconds) headers.set("retry-after", String(body.retryAfterSeconds));
  return new Response(JSON.stringify(contractErrorJson(body, requestId)), { status: response.status, headers });
}
