import { initTRPC } from "@trpc/server";
import { Access, AppError, isStoreUnavailable, storeUnavailable, validationError, withContext, type Actor, type ErrorCode } from "@users/core";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Context } from "./context.ts";
import { toTRPCError, trpcErrorBody } from "./error-mapping.ts";
import { requestIdScope } from "./request-id.ts";

/** Extra per-procedure facts the OpenAPI document needs beyond what trpc-to-openapi records. */
export type Meta = OpenApiMeta & {
  successStatus?: 200 | 201 | 202 | 204;
  openapi?: {
    /**
     * Contract codes the procedure itself raises (EMAIL_TAKEN, LAST_ADMIN, …) beyond those every
     * operation of its kind answers (openapi-answers.ts); the document's statuses follow from them.
     */
    errorCodes?: readonly ErrorCode[];
    /** With `protect: false`: anonymous callers are welcome, and a caller's token, when sent, counts. */
    optionalAuth?: boolean;
  };
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const body = trpcErrorBody(error);
      return {
        message: body.message,
        code: shape.code,
        data: {
          code: body.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          ...(body.issues ? { issues: body.issues } : {}),
          ...(body.retryAfterSeconds ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
          ...(body.mfaToken ? { mfaToken: body.mfaToken } : {}),
          requestId: ctx?.request.requestId ?? requestIdScope.get() ?? null,
        },
      };
    },
  });

export const router = t.router;
export const mergeRouters = t.mergeRouters;

/** The caller: a verified bearer token's user, or anonymous when there is no Authorization header. */
async function actorOf(headers: Headers): Promise<Actor> {
  const authorization = headers.get("authorization");
  if (!authorization) return { kind: "anonymous" };
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)$/i.exec(authorization.trim());
  if (!match) throw new AppError("UNAUTHENTICATED", "Send the access token as `Authorization: Bearer <token>`.");
  return Access.authenticate(match[1]!);
}

/**
 * Every procedure knows its caller and runs with it in async context (so the domain's policy and its
 * audit events know who and which request), and turns domain errors, the input's validation included,
 * into tRPC errors with the matching status.
 */
export const procedure = t.procedure.use(async ({ ctx, next, type }) => {
  const { requestId, correlationId, sourceIp, userAgent, headers } = ctx.request;
  let actor: Actor;
  try {
    await ctx.request.rateLimits?.countCall();
    ctx.authentication ??= actorOf(headers);
    actor = await ctx.authentication;
    await ctx.request.rateLimits?.countCaller(type === "query" ? "read" : "write", actor);
  } catch (error) {
    if (isStoreUnavailable(error)) throw toTRPCError(storeUnavailable(error));
    throw error instanceof AppError ? toTRPCError(error) : error;
  }
  const result = await withContext({ actor, requestId, correlationId, sourceIp, userAgent }, () => next({ ctx: { ...ctx, actor } }));
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw toTRPCError(cause);
    // The store did not answer (after the SDK's retries): the outcome of a write is unknown, so 503,
    // and a retry with the same Idempotency-Key takes effect once.
    if (isStoreUnavailable(cause)) throw toTRPCError(storeUnavailable(cause));
    // The input's validation (BAD_REQUEST); a ZodError on the output is a bug and stays a 500.
    if (cause instanceof ZodError && result.error.code === "BAD_REQUEST") throw toTRPCError(validationError(cause));
  }
  return result;
});
