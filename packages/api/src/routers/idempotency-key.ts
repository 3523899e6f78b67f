import { validationFailed } from "@users/core";
import { z } from "zod";
import type { Context } from "../context.ts";

const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .meta({ description: "Same as the Idempotency-Key header: a retry with it within 24 h returns the first response." });

/** A mutation's input schema, plus the optional `idempotencyKey` tRPC callers send. */
export function withIdempotencyKey<Shape extends z.ZodRawShape, Config extends z.core.$ZodObjectConfig>(
  schema: z.ZodObject<Shape, Config>,
) {
  return schema.extend({ idempotencyKey: IdempotencyKey });
}

/** REST's `Idempotency-Key` header or tRPC's `idempotencyKey`; both given must agree. */
export function idempotencyKeyOf(ctx: Context, fromInput: string | undefined): string | undefined {
  const header = ctx.request.headers.get("idempotency-key") ?? undefined;
  const invalid = (message: string) => validationFailed([{ path: "Idempotency-Key", message }]);
  if (header !== undefined && (header.length === 0 || header.length > 255)) throw invalid("must be 1 to 255 characters");
  if (header !== undefined && fromInput !== undefined && header !== fromInput) throw invalid("differs from idempotencyKey");
  return header ?? fromInput;
}

export const WriteHeaders = z.object({
  "if-match": z.string().optional().meta({ description: 'Apply only if the user is at this version: `"3"`. Else 412.' }),
  "idempotency-key": z
    .string()
    .optional()
    .meta({ description: "1–255 characters. A retry with the same key and body within 24 h returns the first response; another body is 422; 409 while the first runs." }),
});
