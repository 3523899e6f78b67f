import { ErrorCodes, type ErrorCode } from "@users/core";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { httpStatusFor } from "./error-mapping.ts";
import { appRouter } from "./router.ts";
import type { Meta } from "./trpc.ts";

const ErrorBody = z
  .object({
    code: z.enum(ErrorCodes).meta({ description: "Stable, machine-readable; see the status's description." }),
    message: z.string().meta({ description: "For people; may change." }),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "Only for VALIDATION_FAILED: what is wrong with which field." }),
    mfaToken: z
      .string()
      .optional()
      .meta({ description: "Only for MFA_REQUIRED: send it with a code to /v1/auth/mfa/verify (valid 5 minutes)." }),
    error: z
      .string()
      .optional()
      .meta({ description: "Only from /v1/oauth/token: RFC 6749's error (`invalid_client`, `invalid_request`, `invalid_scope`, `unsupported_grant_type`)." }),
    requestId: z.string().meta({ description: "Also in the X-Request-Id header; quote it when asking for help." }),
  })
  .meta({ description: "Every non-2xx response has this body." });

const codesByStatus = new Map<number, ErrorCode[]>();
for (const code of ErrorCodes) {
  const status = httpStatusFor(code);
  codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
}

type Operation = { operationId?: string; responses?: Record<string, Record<string, unknown>> };

/** Meta of each procedure by the operationId trpc-to-openapi gives it (`users.create` → `users-create`). */
function metaByOperationId(): Map<string, Meta> {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  return new Map(Object.entries(procedures).map(([path, p]) => [path.replace(/\./g, "-"), p._def.meta ?? {}]));
}

/**
 * trpc-to-openapi describes every success as 200 and errors in tRPC's own shape; this states what the
 * service really answers: 201 and 204 where it does, the contract's error body with its codes per
 * status, and X-Request-Id on every response.
 */
function alignWithContract(document: OpenAPIObject): OpenAPIObject {
  const metas = metaByOperationId();
  const requestIdHeader = { $ref: "#/components/headers/XRequestId" };
  document.components = {
    ...document.components,
    headers: {
      XRequestId: { description: "The request's id: the caller's X-Request-Id when sane, else a new one.", schema: { type: "string" } },
    },
  };
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem as Record<string, Operation>)) {
      const responses = operation.responses;
      if (!responses) continue;
      const success = responses["200"]!;
      delete responses["200"];
      const status = metas.get(operation.operationId ?? "")?.successStatus ?? 200;
      responses[String(status)] =
        status === 204
          ? { description: "Done; no body.", headers: { "X-Request-Id": requestIdHeader } }
          : { ...success, headers: { ...(success.headers as object), "X-Request-Id": requestIdHeader } };
      const errorStatuses = [...Object.keys(responses).map(Number).filter((s) => s >= 400), 500];
      for (const errorStatus of errorStatuses) {
        responses[String(errorStatus)] = {
          description: `Error: ${(codesByStatus.get(errorStatus) ?? ["INTERNAL"]).join(", ")}`,
          headers: { "X-Request-Id": requestIdHeader },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        };
      }
    }
  }
  return document;
}

/** POST /v1/oauth/token is a plain route (REST only, form-encoded per RFC 6749), described here by hand. */
function oauthTokenPath(): Record<string, unknown> {
  const requestIdHeader = { $ref: "#/components/headers/XRequestId" };
  const params = {
    type: "object",
    required: ["grant_type"],
    properties: {
      grant_type: { type: "string", const: "client_credentials" },
      scope: { type: "string", description: "Space-separated subset of the client's scopes; default all of them." },
      client_id: { type: "string", description: "Unless sent with HTTP Basic." },
      client_secret: { type: "string", description: "Unless sent with HTTP Basic." },
    },
  };
  const error = (description: string) => ({
    description,
    headers: { "X-Request-Id": requestIdHeader },
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    "/v1/oauth/token": {
      post: {
        operationId: "oauth-token",
        tags: ["clients"],
        summary: "Get an access token for a machine client (client credentials)",
        description:
          "RFC 6749 §4.4. Authenticate with HTTP Basic (`client_id:client_secret`) or `client_id`/`client_secret` in the body (not both). The token goes in `Authorization: Bearer …` like a user's; it lasts 15 minutes and stops working when the client is revoked.",
        security: [{ clientBasic: [] }, {}],
        requestBody: {
          required: true,
          content: { "application/x-www-form-urlencoded": { schema: params }, "application/json": { schema: params } },
        },
        responses: {
          "200": {
            description: "The token (never cached: `Cache-Control: no-store`).",
            headers: { "X-Request-Id": requestIdHeader },
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["access_token", "token_type", "expires_in", "scope"],
                  properties: {
                    access_token: { type: "string", description: "JWT (EdDSA, `typ: at+jwt`) with `client_id` and `scope`." },
                    token_type: { type: "string", const: "Bearer" },
                    expires_in: { type: "integer", description: "Seconds: 900." },
                    scope: { type: "string", description: "The granted scopes, space-separated." },
                  },
                },
              },
            },
          },
          "400": error("Error: VALIDATION_FAILED (`invalid_request`, `invalid_scope`, `unsupported_grant_type`), MALFORMED_JSON"),
          "401": error("Error: INVALID_CLIENT (`invalid_client`); with HTTP Basic also `WWW-Authenticate: Basic`"),
          "413": error("Error: PAYLOAD_TOO_LARGE"),
          "415": error("Error: UNSUPPORTED_MEDIA_TYPE"),
          "500": error("Error: INTERNAL"),
        },
      },
    },
  };
}

let document: OpenAPIObject | undefined;

/** The OpenAPI 3.1 document of everything under /v1, built once per process. */
export function openApiDocument(): OpenAPIObject {
  document ??= alignWithContract(
    generateOpenApiDocument(appRouter, {
      title: "Users service",
      description: "Register, find, update, suspend and delete users, with an audit trail of every change.",
      version: "1.0.0",
      openApiVersion: "3.1.0",
      baseUrl: "/",
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        clientBasic: { type: "http", scheme: "basic", description: "A machine client's id and secret, at /v1/oauth/token only." },
      },
      tags: ["users", "auth", "clients"],
      defs: { Error: ErrorBody },
    }),
  );
  document.paths = { ...document.paths, ...(oauthTokenPath() as OpenAPIObject["paths"]) };
  return document;
}
