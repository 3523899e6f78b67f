import type { z } from "zod";
import { validationFailed, type AppError } from "./errors.ts";

/** Turns zod issues into the contract's `issues` list (`path` dotted, `message` plain). */
export function validationError(error: z.ZodError): AppError {
  return validationFailed(
    error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}

/** The parsed value, or the contract's VALIDATION_FAILED error. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/**
 * A domain operation that validates its own input with its schema and carries it as `.schema`, so every
 * transport (tRPC, REST, CLI) reuses the one declaration.
 */
export function validated<S extends z.ZodType, R>(schema: S, operation: (input: z.output<S>) => R) {
  const run = (input: z.input<S>): R => operation(parseOrThrow(schema, input));
  return Object.assign(run, { schema });
}
