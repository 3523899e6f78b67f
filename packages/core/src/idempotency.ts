import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { Context } from "aws-lambda";
import { config } from "./config.ts";
import { useActor } from "./context.ts";
import { AppError, errorBodyOf, errorFromBody, type ErrorBody } from "./errors.ts";
import { dynamoBaseClient } from "./store/client.ts";
import { tableLayout } from "./store/table-layout.ts";

/**
 * Idempotent writes (`Idempotency-Key`), with Powertools' idempotency utility and its DynamoDB
 * persistence on the service's table: a retry with the same key and the same input within 24 hours gets
 * the first outcome (the result, or the same client error) without the work being done again; the same
 * key with other input is 422; while the first is still running, 409. A server error is not kept, so a
 * retry does the work.
 */
const WINDOW_SECONDS = 24 * 60 * 60;
/** How long an unfinished first attempt blocks retries: API Gateway gives a request at most 30 s. */
const IN_PROGRESS_MS = 30_000;

type Outcome<R> = { ok: true; value: R } | { ok: false; error: ErrorBody };

let store: DynamoDBPersistenceLayer | undefined;
function persistenceStore(): DynamoDBPersistenceLayer {
  store ??= new DynamoDBPersistenceLayer({
    tableName: config().tableName,
    keyAttr: tableLayout.primaryIndex.partitionKey,
    sortKeyAttr: tableLayout.primaryIndex.sortKey,
    staticPkValue: "$idempotency",
    expiryAttr: tableLayout.ttlAttribute,
    awsSdkV3Client: dynamoBaseClient(),
  });
  return store;
}

const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: "key",
  payloadValidationJmesPath: "input",
  expiresAfterSeconds: WINDOW_SECONDS,
  // Outside Lambda there is no remaining time to read: every request gets the same bound.
  lambdaContext: { getRemainingTimeInMillis: () => IN_PROGRESS_MS } as Context,
});

type Request = { key: string; input: unknown };

/**
 * Wraps a domain operation so it can be called with an idempotency key. Keys are scoped to the caller
 * and the operation, so one client's key never answers another's request.
 */
export function idempotent<I extends object, R>(operation: string, run: (input: I) => Promise<R>) {
  const once = makeIdempotent(
    async (_request: Request, input: I): Promise<Outcome<R>> => {
      try {
        // Stored as JSON: a void result is kept as null.
        return { ok: true, value: ((await run(input)) ?? null) as R };
      } catch (error) {
        if (error instanceof AppError && error.code !== "INTERNAL") return { ok: false, error: errorBodyOf(error) };
        throw error;
      }
    },
    { persistenceStore: persistenceStore(), config: idempotencyConfig },
  );

  return async (input: I, idempotencyKey: string | undefined): Promise<R> => {
    if (idempotencyKey === undefined) return run(input);
    const actor = useActor();
    const caller =
      actor.kind === "user" ? `user:${actor.userId}`
      : actor.kind === "system" ? `system:${actor.name}`
      : actor.kind === "client" ? `client:${actor.clientId}`
      : "anonymous";
    let outcome: Outcome<R>;
    try {
      outcome = await once({ key: `${caller}|${operation}|${idempotencyKey}`, input }, input);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request.");
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new AppError("IDEMPOTENCY_IN_PROGRESS", "A request with this Idempotency-Key is still being processed; retry shortly.");
      }
      throw error;
    }
    if (outcome.ok) return outcome.value;
    throw errorFromBody(outcome.error);
  };
}
