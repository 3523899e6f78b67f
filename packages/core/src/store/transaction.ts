import type { AppError } from "../errors.ts";
import { idempotencySteps } from "./idempotency-attempt.ts";
import { store, type TransactionEntities, type TransactionItem } from "./service.ts";

/**
 * The outcome of one TransactWriteItems, with DynamoDB's cancellation reasons turned into plain facts:
 * which items' conditions failed (by position), or that another transaction got in the way.
 */
export type TransactionOutcome =
  | { committed: true }
  | { committed: false; conflict: true }
  | { committed: false; conflict: false; failedConditions: number[] };

// DynamoDB Local answers contention on the same items (the tally shards under concurrent writes) with
// an InternalServerError after waiting for a lock; DynamoDB itself answers TransactionConflict. Both are
// retried by the write path's backoff like any lost race.
const conflictErrors = new Set(["TransactionConflictException", "TransactionInProgressException", "InternalServerError"]);

export async function writeTransaction(
  build: (entities: TransactionEntities) => TransactionItem[],
): Promise<TransactionOutcome> {
  let result;
  try {
    result = await store().transaction.write(build).go();
  } catch (error) {
    // ElectroDB wraps the client's error; its cause carries the DynamoDB name.
    const names = [(error as Error).name, (error as { cause?: { name?: string } }).cause?.name];
    if (names.some((name) => name !== undefined && conflictErrors.has(name))) return { committed: false, conflict: true };
    throw error;
  }
  if (!result.canceled) return { committed: true };
  const codes = (result.data as { code: string }[]).map((item) => item.code);
  if (codes.includes("TransactionConflict")) return { committed: false, conflict: true };
  const failedConditions = codes.flatMap((code, index) => (code === "ConditionalCheckFailed" ? [index] : []));
  if (failedConditions.length === 0) {
    throw new Error(`Transaction canceled for an unexpected reason: ${codes.join(", ")}`);
  }
  return { committed: false, conflict: false, failedConditions };
}

/**
 * One item of a transaction and what it means when its condition fails: a domain error, or `stale`
 * (what we read has changed under us: read again and retry).
 */
export interface Step {
  item: (entities: TransactionEntities) => TransactionItem;
  whenConditionFails: AppError | "stale";
}

/**
 * Commits the steps as one transaction: committed, stale (retry), or the domain error of a failed step.
 * Inside an idempotent write the transaction also marks its idempotency record committed.
 */
export async function commitSteps(changes: Step[], options: { subject?: string } = {}): Promise<"committed" | "stale" | AppError> {
  const steps = [...changes, ...idempotencySteps(options.subject)];
  const outcome = await writeTransaction((entities) => steps.map((step) => step.item(entities)));
  if (outcome.committed) return "committed";
  if (outcome.conflict) return "stale";
  const failures = outcome.failedConditions.map((index) => steps[index]!.whenConditionFails);
  return failures.includes("stale") ? "stale" : (failures[0] as AppError);
}

/**
 * Runs one conditional write: true when it was written, false when its condition did not hold. Any
 * other failure is thrown, never mistaken for "the condition failed".
 */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    const cause = (error as { cause?: { name?: string } }).cause;
    if (cause?.name === "ConditionalCheckFailedException" || (error as Error).name === "ConditionalCheckFailedException") {
      return false;
    }
    throw error;
  }
}
