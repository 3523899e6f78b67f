import type { Context as HonoContext } from "hono";
import { VALIDATION_MESSAGE, type ErrorCode } from "@users/core";
import { httpStatusFor, type ErrorBody } from "./error-mapping.ts";

/** A REST error in the contract's shape, for errors raised outside the procedures (routing, limits). */
export function errorResponse(c: HonoContext, body: ErrorBody & { code: ErrorCode }): Response {
  const status = httpStatusFor(body.code);
  return c.json({ code: body.code, message: body.message, requestId: c.get("requestId") as string }, status as 400);
}

/** What trpc-to-openapi puts in place of the message of an input (zod) validation error. */
const ADAPTER_VALIDATION_MESSAGE = "Input validation failed";

/**
 * trpc-to-openapi answers errors as `{ ...tRPC error shape, code: <tRPC code> }`; REST clients get the
 * contract's body instead: `{ code, message, issues?, requestId }`, plus `Retry-After` where it applies.
 */
export async function toContractErrorResponse(response: Response, requestId: string): Promise<Response> {
  if (response.status < 400) {
    if (response.status === 204) response.headers.delete("content-type");
    return response;
  }
  const shape = (await response.json().catch(() => null)) as {
    message?: string;
    data?: { code?: ErrorCode; issues?: unknown[]; retryAfterSeconds?: number; mfaToken?: string };
  } | null;
  const data = shape?.data ?? {};
  const code = data.code ?? "INTERNAL";
  const body = {
    code,
    message:
      shape?.message === ADAPTER_VALIDATION_MESSAGE ? VALIDATION_MESSAGE : (shape?.message ?? "Something went wrong on our side."),
    ...(data.issues ? { issues: data.issues } : {}),
    ...(data.mfaToken ? { mfaToken: data.mfaToken } : {}),
    requestId,
  };
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json");
  if (data.retryAfterSeconds) headers.set("retry-after", String(data.retryAfterSeconds));
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
