import { UsersService, type TransactionEntities, type TransactionItem } from "./service.ts";

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
    result = await UsersService.transaction.write(build).go();
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
