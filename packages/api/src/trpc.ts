import { initTRPC } from "@trpc/server";
import { AppError, withContext } from "@users/core";
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

/**
 * Every procedure runs with the caller in async context (so the domain and its audit events know who
 * and which request), and turns the domain's errors into tRPC errors with the matching status.
 */
export const procedure = t.procedure.use(async ({ ctx, next }) => {
  const { requestId, sourceIp, userAgent } = ctx.request;
  const result = await withContext({ actor: ctx.actor, requestId, sourceIp, userAgent }, () => next());
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});
