import { AppError, Clients, Observability, withContext, type ErrorCode } from "@users/core";
import type { Context as HonoContext } from "hono";
import type { Env } from "./app.ts";
import type { RequestInfo } from "./context.ts";
import { httpStatusFor } from "./error-mapping.ts";

type OAuthErrorName = "invalid_client" | "invalid_request" | "invalid_scope" | "unsupported_grant_type";

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, "").trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      return value;
    }
  };
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/** The token request's parameters, form-encoded (RFC 6749) or JSON; null when the body cannot be read. */
async function parameters(c: HonoContext<Env>): Promise<Record<string, string> | "unsupported" | null> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (type === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(text));
  if (type === "application/json") {
    try {
      const body = JSON.parse(text) as unknown;
      if (!body || typeof body !== "object" || Array.isArray(body)) return null;
      return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
    } catch {
      return null;
    }
  }
  return "unsupported";
}

/**
 * POST /v1/oauth/token: the client-credentials grant (RFC 6749 §4.4), REST only. The client authenticates
 * with HTTP Basic or `client_id`/`client_secret` in the body (not both). Errors carry the contract's body
 * plus OAuth's `error`; no response is cached.
 */
export function oauthTokenHandler(requestInfo: (c: HonoContext<Env>) => RequestInfo) {
  return async (c: HonoContext<Env>): Promise<Response> => {
    const info = requestInfo(c);
    const noStore = { "cache-control": "no-store", pragma: "no-cache" };
    const authorization = c.req.header("authorization");
    const usedBasic = !!authorization && /^basic\s/i.test(authorization);
    const fail = (code: ErrorCode, error: OAuthErrorName | undefined, message: string) => {
      const headers: Record<string, string> = { ...noStore };
      if (code === "INVALID_CLIENT" && usedBasic) headers["www-authenticate"] = 'Basic realm="users-service", charset="UTF-8"';
      return c.json(
        { code, message, ...(error ? { error, error_description: message } : {}), requestId: info.requestId },
        httpStatusFor(code) as 400,
        headers,
      );
    };

    const params = await parameters(c);
    if (params === "unsupported") return fail("UNSUPPORTED_MEDIA_TYPE", "invalid_request", "Send the body as application/x-www-form-urlencoded or application/json.");
    if (params === null) return fail("MALFORMED_JSON", "invalid_request", "The body is not a JSON object.");
    const basic = basicCredentials(authorization);
    if (basic === null) return fail("INVALID_CLIENT", "invalid_client", "The Basic credentials are not `client_id:client_secret`.");
    if (basic && (params.client_id !== undefined || params.client_secret !== undefined)) {
      return fail("VALIDATION_FAILED", "invalid_request", "Authenticate the client one way: HTTP Basic or client_id/client_secret, not both.");
    }
    const credentials = basic ?? { clientId: params.client_id, clientSecret: params.client_secret };
    if (!params.grant_type) return fail("VALIDATION_FAILED", "invalid_request", "grant_type is required.");
    if (!credentials.clientId || !credentials.clientSecret) {
      return fail("INVALID_CLIENT", "invalid_client", "Authenticate the client: HTTP Basic or client_id and client_secret.");
    }

    try {
      const token = await withContext(
        { actor: { kind: "anonymous" }, requestId: info.requestId, correlationId: info.correlationId, sourceIp: info.sourceIp, userAgent: info.userAgent },
        () =>
          Clients.issueToken({
            grantType: params.grant_type!,
            clientId: credentials.clientId!,
            clientSecret: credentials.clientSecret!,
            ...(params.scope !== undefined ? { scope: params.scope } : {}),
          }),
      );
      return c.json(token, 200, noStore);
    } catch (error) {
      if (error instanceof Clients.OAuthError) return fail(error.code, error.oauthError, error.message);
      if (error instanceof AppError && error.code !== "INTERNAL") return fail(error.code, "invalid_request", error.message);
      Observability.log.error("Unexpected error", { requestId: info.requestId, error });
      return fail("INTERNAL", undefined, "Something went wrong on our side.");
    }
  };
}
