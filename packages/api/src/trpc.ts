import { initTRPC } from "@trpc/server";
import { AppError, Auth, withContext, type Actor } from "@users/core";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context.ts";
import { errorBodyOf, toTRPCError } from "./error-mapping.ts";

/** Extra per-procedure facts the OpenAPI document needs beyond what trpc-to-openapi records. */
export type Meta = OpenApiMeta & { successStatus?: 200 | 201 | 204 };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const body = errorBodyOf(error);
      return {
        message: body.message,
        code: shape.code,
        data: {
          code: body.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          ...(body.issues ? { issues: body.issues } : {}),
          ...(body.retryAfterSeconds ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
          requestId: ctx?.request.requestId ?? null,
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
  return Auth.authenticate(match[1]!);
}

/**
 * Every procedure knows its caller and runs with it in async context (so the domain's policy and its
 * audit events know who and which request), and turns domain errors into tRPC errors with the matching
 * status.
 */
export const procedure = t.procedure.use(async ({ ctx, next }) => {
  const { requestId, correlationId, sourceIp, userAgent, headers } = ctx.request;
  let actor: Actor;
  try {
    ctx.authentication ??= actorOf(headers);
    actor = await ctx.authentication;
  } catch (error) {
    throw error instanceof AppError ? toTRPCError(error) : error;
  }
  const result = await withContext({ actor, requestId, correlationId, sourceIp, userAgent }, () => next({ ctx: { ...ctx, actor } }));
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});
