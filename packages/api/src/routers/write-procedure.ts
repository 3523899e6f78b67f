import { idempotent, validationFailed } from "@users/core";
import * as z from "zod";
import { ifMatchVersion, type Context } from "../context.ts";
import { procedure, type Meta } from "../trpc.ts";

const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .meta({ description: "Same as the Idempotency-Key header: a retry with it within 24 h returns the first response." });

/** REST's `Idempotency-Key` header or tRPC's `idempotencyKey`; both given must agree. */
function idempotencyKeyOf(ctx: Context, fromInput: string | undefined): string | undefined {
  const header = ctx.request.headers.get("idempotency-key") ?? undefined;
  const invalid = (message: string) => validationFailed([{ path: "Idempotency-Key", message }]);
  if (header !== undefined && (header.length === 0 || header.length > 255)) throw invalid("must be 1 to 255 characters");
  if (header !== undefined && fromInput !== undefined && header !== fromInput) throw invalid("differs from idempotencyKey");
  return header ?? fromInput;
}

const WriteHeaders = z.object({
  "if-match": z.string().optional().meta({ description: 'Apply only if the user is at this version: `"3"`. Else 412.' }),
  "idempotency-key": z
    .string()
    .optional()
    .meta({ description: "1–255 characters. A retry with the same key and body within 24 h returns the first response; another body is 422; 409 while the first runs." }),
});

type OpenApi = NonNullable<Meta["openapi"]>;

/**
 * The operation's schema plus `idempotencyKey`. An operation that takes no fields (logout) may be called
 * with no input at all, as `auth.logout.mutate()`.
 */
function inputOf<S extends z.ZodObject>(schema: S) {
  const input = schema.extend({ idempotencyKey: IdempotencyKey });
  type Input = typeof input;
  return (Object.keys(schema.shape).length === 0 ? input.optional() : input) as keyof S["shape"] extends never
    ? z.ZodOptional<Input>
    : Input;
}

/**
 * A domain write as one tRPC mutation and its REST operation, written once for every write: the input is
 * the domain operation's own schema plus the optional `idempotencyKey` (REST: the `Idempotency-Key`
 * header); with `ifMatch`, `expectedVersion` comes from the input or REST's `If-Match`; the operation runs
 * idempotently under `name` (`resultOfCommitted` answers a retry of a change that committed while its
 * first answer was lost); the success status is `successStatus`, and `respond` may add headers
 * (Location, ETag) and shape the result.
 */
export function writeProcedure<S extends z.ZodObject, O extends z.ZodType, R>(options: {
  name: string;
  openapi: Omit<OpenApi, "requestHeaders">;
  successStatus?: 201 | 202 | 204;
  operation: ((input: z.input<S>) => Promise<R>) & { schema: S };
  output: O;
  ifMatch?: boolean;
  respond?: (ctx: Context, result: R) => z.input<O>;
  /** A replay's result when the first attempt's change committed but its answer was never stored. */
  resultOfCommitted?: (subject: string | undefined) => Promise<R>;
}) {
  const { name, successStatus, operation, output, ifMatch = false, respond } = options;
  const run = idempotent(name, operation, { resultOfCommitted: options.resultOfCommitted });
  const requestHeaders = ifMatch ? WriteHeaders : WriteHeaders.pick({ "idempotency-key": true });
  return procedure
    .meta({ openapi: { ...options.openapi, requestHeaders }, ...(successStatus ? { successStatus } : {}) })
    .input(inputOf(operation.schema))
    .output(output)
    // The resolver is typed by hand (tRPC cannot relate the generic schemas here); the procedure's
    // input and output types still come from the schemas above.
    .mutation((async ({ input, ctx }: { input: unknown; ctx: Context }) => {
      const { idempotencyKey, ...rest } = (input ?? {}) as { idempotencyKey?: string; expectedVersion?: number };
      const domainInput = ifMatch ? { ...rest, expectedVersion: rest.expectedVersion ?? ifMatchVersion(ctx.request.headers) } : rest;
      const result = await run(domainInput as z.input<S>, idempotencyKeyOf(ctx, idempotencyKey));
      if (successStatus) ctx.response.status = successStatus;
      // A void operation's stored idempotent result comes back as null: answer nothing.
      return respond ? respond(ctx, result) : (result ?? undefined);
    }) as never);
}
