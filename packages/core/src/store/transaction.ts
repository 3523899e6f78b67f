import { UsersService, type TransactionEntities, type TransactionItem } from "./service.ts";

/**
 * The outcome of one TransactWriteItems, with DynamoDB's cancellation reasons turned into plain facts:
 * which items' conditions failed (by position), or that another transaction got in the way.
 */
export type TransactionOutcome =
  | { committed: true }
  | { committed: false; conflict: true }
  | { committed: false; conflict: false; failedConditions: number[] };

const conflictErrors = new Set(["TransactionConflictException", "TransactionInProgressException"]);

export async function writeTransaction(
  build: (entities: TransactionEntities) => TransactionItem[],
): Promise<TransactionOutcome> {
  let result;
  try {
    result = await UsersService.transaction.write(build).go();
  } catch (error) {
    if (conflictErrors.has((error as Error).name)) return { committed: false, conflict: true };
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
