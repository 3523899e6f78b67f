import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { useActor } from "./context.ts";
import { AppError, errorBodyOf, errorFromBody, type ErrorBody } from "./errors.ts";
import { log } from "./observability/logger.ts";
import { withIdempotencyAttempt } from "./store/idempotency-attempt.ts";
import { db } from "./store/service.ts";
import { conditionally } from "./store/transaction.ts";

/**
 * Idempotent writes (`Idempotency-Key`): a retry with the same key and the same input within 24 hours
 * gets the first outcome (the result, or the same client error) without the work being done again; the
 * same key with other input is 422; while the first is still running, 409. A server error is not kept,
 * so a retry does the work.
 *
 * The record tells the truth: an attempt takes the key with a lease, and the transaction that makes its
 * change also marks the record `committed`, on condition that the attempt still holds it. So a client
 * that gave up (a stalled store answered 503) can retry with the same key: if the first attempt's change
 * committed, the retry replays it; if it did not, the retry does the work, and the first attempt's late
 * commit, if it ever reaches DynamoDB, is cancelled. The change happens exactly once.
 *
 * (Powertools' idempotency utility, used before, keeps its record apart from the change, so a change that
 * committed after the process gave up or died was done again by the retry.)
 */
const WINDOW_SECONDS = 24 * 60 * 60;
/** How long an unfinished attempt blocks retries: API Gateway gives a request at most 30 s. */
const LEASE_MS = 30_000;

type Outcome<R> = { ok: true; value: R } | { ok: false; error: ErrorBody };

const reused = () => new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request.");
const inProgress = () =>
  new AppError("IDEMPOTENCY_IN_PROGRESS", "A request with this Idempotency-Key is still being processed; retry shortly.");

const hashOf = (input: unknown) => createHash("sha256").update(JSON.stringify(input ?? null)).digest("base64url");

async function readRecord(scope: string) {
  const { data } = await db().idempotencyRecord.get({ scope }).go({ consistent: true });
  return data && data.expiresAt > Date.now() / 1000 ? data : null;
}

/** Takes the key for a new attempt: free, expired, or held by an attempt whose lease has run out. */
function claim(scope: string, attempt: string, payloadHash: string): Promise<boolean> {
  const now = Date.now();
  return conditionally(() =>
    db()
      .idempotencyRecord.put({
        scope,
        attempt,
        status: "started",
        payloadHash,
        leaseUntil: now + LEASE_MS,
        expiresAt: Math.floor(now / 1000) + WINDOW_SECONDS,
      })
      .where(
        ({ scope: key, status, leaseUntil, expiresAt }, { notExists, eq, lt }) =>
          `${notExists(key)} OR ${lt(expiresAt, Math.floor(now / 1000))} OR (${eq(status, "started")} AND ${lt(leaseUntil, now)})`,
      )
      .go(),
  );
}

/**
 * A write to the record after the work, whose failure the record already covers: a failed condition
 * means another attempt holds the key; a store error leaves the record `started` (a retry after the lease
 * does the work) or `committed` (a retry replays it). Logged, never thrown over the request's own outcome.
 */
async function bestEffort(what: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await conditionally(write);
  } catch (error) {
    log.warn(`Idempotency record: could not ${what}`, { error });
  }
}

export interface IdempotentOptions<R> {
  /**
   * The result to replay when the first attempt's change committed but its outcome was never stored (the
   * process died in between): for example the user as it is now. Absent: the operation returns nothing.
   */
  resultOfCommitted?: (subject: string | undefined) => Promise<R>;
}

/**
 * Wraps a domain operation so it can be called with an idempotency key. Keys are scoped to the caller
 * and the operation, so one client's key never answers another's request.
 */
export function idempotent<I extends object, R>(operation: string, run: (input: I) => Promise<R>, options: IdempotentOptions<R> = {}) {
  return async (input: I, idempotencyKey: string | undefined): Promise<R> => {
    if (idempotencyKey === undefined) return run(input);
    const actor = useActor();
    const caller =
      actor.kind === "user" ? `user:${actor.userId}`
      : actor.kind === "system" ? `system:${actor.name}`
      : actor.kind === "client" ? `client:${actor.clientId}`
      : "anonymous";
    const scope = `${caller}|${operation}|${idempotencyKey}`;
    const payloadHash = hashOf(input);
    const attempt: string = randomUUID();

    for (let round = 0; !(await claim(scope, attempt, payloadHash)); round++) {
      const record = await readRecord(scope);
      if (!record) {
        if (round >= 3) throw inProgress();
        await sleep(20 * (round + 1));
        continue;
      }
      if (record.payloadHash !== payloadHash) throw reused();
      if (record.status === "completed" && record.outcome) {
        const outcome = JSON.parse(record.outcome) as Outcome<R>;
        if (outcome.ok) return outcome.value;
        throw errorFromBody(outcome.error);
      }
      if (record.status === "committed") {
        return options.resultOfCommitted ? options.resultOfCommitted(record.subject) : (undefined as R);
      }
      throw inProgress();
    }

    let outcome: Outcome<R>;
    try {
      // Stored as JSON: a void result is kept as null.
      outcome = { ok: true, value: ((await withIdempotencyAttempt({ scope, attempt }, () => run(input))) ?? null) as R };
    } catch (error) {
      if (!(error instanceof AppError) || error.code === "INTERNAL") {
        // Not kept: a retry does the work (unless this attempt's change committed after all).
        await bestEffort("release", () =>
          db()
            .idempotencyRecord.delete({ scope })
            .where(({ attempt: holder, status }, { eq }) => `${eq(holder, attempt)} AND ${eq(status, "started")}`)
            .go(),
        );
        throw error;
      }
      outcome = { ok: false, error: errorBodyOf(error) };
    }
    // A failed condition: a retry took the key over after our lease ran out, and its record stands.
    await bestEffort("store the outcome", () =>
      db()
        .idempotencyRecord.patch({ scope })
        .set({ status: "completed", outcome: JSON.stringify(outcome) })
        .where(({ attempt: holder }, { eq }) => eq(holder, attempt))
        .go(),
    );
    if (outcome.ok) return outcome.value;
    throw errorFromBody(outcome.error);
  };
}
