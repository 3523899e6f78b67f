import { ErrorCodes, type ErrorCode } from "@users/core";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import * as z from "zod";
import {
  commonResponseHeaders,
  contractHeaders,
  errorResponseHeaders,
  errorStatusesOf,
  etagHeader,
  statusSummary,
  type OperationFacts,
} from "./openapi-answers.ts";
import { appRouter } from "./router.ts";
import type { Meta } from "./trpc.ts";

const ErrorBody = z
  .object({
    code: z.enum(ErrorCodes).meta({ description: "Stable, machine-readable; each response lists the codes it can carry." }),
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
    error_description: z
      .string()
      .optional()
      .meta({ description: "Only from /v1/oauth/token: RFC 6749's error_description (the same as `message`)." }),
    requestId: z.string().meta({ description: "Also in the X-Request-Id header; quote it when asking for help." }),
  })
  .meta({ description: "Every non-2xx response has this body." });

type Schema = Record<string, unknown> & { $ref?: string; properties?: Record<string, unknown>; required?: string[]; enum?: unknown[] };
type Parameter = { in: string; name: string; schema?: Schema; required?: boolean; description?: string };
type Response = { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: Schema }> };
type Operation = {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, Response>;
  security?: Record<string, string[]>[];
};

/** tRPC-only input fields: REST sends them as the If-Match and Idempotency-Key headers. */
const TRPC_ONLY_FIELDS = { expectedVersion: "if-match", idempotencyKey: "idempotency-key" } as const;

const headerParameters: Record<string, Parameter> = {
  "if-match": {
    in: "header",
    name: "if-match",
    description: 'Apply only if the resource is at this version: `"3"` (its ETag). Otherwise 412 VERSION_MISMATCH and nothing changes.',
    schema: { type: "string", pattern: '^(\\*|(W/)?"?[0-9]{1,15}"?)$', example: '"3"' },
  },
  "idempotency-key": {
    in: "header",
    name: "idempotency-key",
    description:
      "1–255 characters. A retry with the same key and body within 24 h returns the first response; another body is 422; 409 while the first runs.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  },
};

/** Meta of each procedure by the operationId trpc-to-openapi gives it (`users.create` → `users-create`). */
function metaByOperationId(): Map<string, Meta> {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  return new Map(Object.entries(procedures).map(([path, p]) => [path.replace(/\./g, "-"), p._def.meta ?? {}]));
}

function resolve(document: OpenAPIObject, schema: Schema | undefined): Schema | undefined {
  const name = schema?.$ref?.replace("#/components/schemas/", "");
  return name ? (document.components?.schemas?.[name] as Schema | undefined) : schema;
}

/**
 * Moves the tRPC-only fields out of the REST request (body and query) and declares their header instead.
 * Returns which headers the operation takes.
 */
function restHeadersOnly(document: OpenAPIObject, operation: Operation): { ifMatch: boolean; idempotencyKey: boolean } {
  const taken = new Set(operation.parameters?.filter((p) => p.in === "header").map((p) => p.name.toLowerCase()));
  const body = resolve(document, operation.requestBody?.content?.["application/json"]?.schema);
  for (const [field, header] of Object.entries(TRPC_ONLY_FIELDS)) {
    if (body?.properties && field in body.properties) {
      delete body.properties[field];
      body.required = body.required?.filter((name) => name !== field);
      taken.add(header);
    }
    if (operation.parameters?.some((p) => p.in === "query" && p.name === field)) taken.add(header);
  }
  if (body?.properties && Object.keys(body.properties).length === 0 && !body.additionalProperties) delete operation.requestBody;
  const others = (operation.parameters ?? []).filter(
    (p) => !(p.in === "query" && p.name in TRPC_ONLY_FIELDS) && !(p.in === "header" && p.name.toLowerCase() in headerParameters),
  );
  operation.parameters = [...[...taken].filter((h) => h in headerParameters).map((h) => headerParameters[h]!), ...others];
  if (operation.parameters.length === 0) delete operation.parameters;
  return { ifMatch: taken.has("if-match"), idempotencyKey: taken.has("idempotency-key") };
}

/** The error body narrowed to the codes this status can carry on this operation. */
function errorResponse(status: number, codes: ErrorCode[]): Response {
  return {
    description: `${statusSummary[status] ?? "Error"}: ${codes.join(", ")}.`,
    headers: { ...commonResponseHeaders(), ...errorResponseHeaders(status) },
    content: {
      "application/json": {
        schema: {
          allOf: [
            { $ref: "#/components/schemas/Error" },
            { type: "object", properties: { code: { type: "string", enum: codes } }, required: ["code"] },
          ],
        },
      },
    },
  };
}

/**
 * trpc-to-openapi describes every success as 200, errors in tRPC's own shape, and security only for
 * protected procedures; this states what the service really answers, for every operation alike: the
 * real success status and headers, each error status it can give with the codes it carries, Retry-After
 * and RateLimit-* where they are sent, and who may call.
 */
function alignWithContract(document: OpenAPIObject): OpenAPIObject {
  const metas = metaByOperationId();
  document.components = { ...document.components, headers: { ...contractHeaders } };
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      const meta = metas.get(operation.operationId ?? "") ?? {};
      const responses = operation.responses;
      if (!responses) continue;
      const takes = restHeadersOnly(document, operation);
      const anonymous = meta.openapi?.protect === false;
      operation.security = anonymous ? (meta.openapi?.optionalAuth ? [{}, { bearerAuth: [] }] : []) : [{ bearerAuth: [] }];

      const success = responses["200"]!;
      for (const status of Object.keys(responses)) delete responses[status];
      const status = meta.successStatus ?? 200;
      const returnsUser = success.content?.["application/json"]?.schema?.$ref === "#/components/schemas/User";
      responses[String(status)] =
        status === 204 || status === 202
          ? { description: "Done; no body.", headers: commonResponseHeaders() }
          : {
              ...success,
              headers: { ...success.headers, ...(returnsUser ? { ETag: etagHeader() } : {}), ...commonResponseHeaders() },
            };

      const facts: OperationFacts = {
        method,
        anonymous,
        pathParams: (operation.parameters ?? [])
          .filter((p) => p.in === "path")
          .map((p) => ({ name: p.name, isEnum: Array.isArray(resolve(document, p.schema)?.enum) })),
        queryParams: (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        takesIfMatch: takes.ifMatch,
        takesIdempotencyKey: takes.idempotencyKey,
        ownCodes: meta.openapi?.errorCodes ?? [],
      };
      for (const [errorStatus, codes] of errorStatusesOf(facts)) responses[String(errorStatus)] = errorResponse(errorStatus, codes);
    }
  }
  // trpc-to-openapi's own error.* shapes: the service answers with `Error` instead.
  for (const name of Object.keys(document.components?.schemas ?? {})) {
    if (name.startsWith("error.")) delete document.components!.schemas![name];
  }
  return document;
}

const tagDescriptions: Record<string, string> = {
  users: "Register, read, list, change, suspend and delete users; roles, passwords and the audit trail.",
  auth: "Sign in, refresh and sign out; the signed-in user and their sessions.",
};
/** POST /v1/oauth/token is a plain route (REST only, form-encoded per RFC 6749), described here by hand. */
/**
 * The token endpoint's errors, computed like every other operation's: an anonymous POST whose own code is
 * INVALID_CLIENT (`error: "invalid_client"`; with HTTP Basic also `WWW-Authenticate: Basic`).
 */
function oauthErrorResponses(): Record<string, Response> {
  const facts: OperationFacts = {
    method: "post",
    anonymous: true,
    readsBearer: false,
    pathParams: [],
    queryParams: [],
    takesIfMatch: false,
    takesIdempotencyKey: false,
    ownCodes: ["INVALID_CLIENT"],
  };
  return Object.fromEntries([...errorStatusesOf(facts)].map(([status, codes]) => [String(status), errorResponse(status, codes)]));
}

function oauthTokenPath(): Record<string, unknown> {
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
            headers: commonResponseHeaders(),
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
          ...oauthErrorResponses(),
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
      description:
        "Register, find, update, suspend and delete users, with an audit trail of every change. Errors: `{ code, message, issues?, requestId }`; each response lists the codes it can carry.",
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
  document.tags = document.tags?.map((tag) => ({ ...tag, description: tagDescriptions[tag.name] ?? tag.description }));
  document.paths = { ...document.paths, ...(oauthTokenPath() as OpenAPIObject["paths"]) };
  return document;
}
