import type { TransactionEntities, TransactionItem } from "../store/service.ts";
import { randomTallyShard, tallyDelta, type Tallied, type TallyDelta } from "./tally.ts";

/**
 * The transaction item that adds a change to the counts: one atomic ADD on a random shard, or nothing when
 * the change moves no count. `before` null: the user was not counted yet; `after` null: it leaves every count.
 */
export function tallyWrites(before: Tallied | null, after: Tallied | null): ((e: TransactionEntities) => TransactionItem)[] {
  return tallyWrite(tallyDelta(before, after));
}

/** The item that adds `delta` (of one change or several summed) to a random shard; none for no change. */
export function tallyWrite(delta: TallyDelta): ((e: TransactionEntities) => TransactionItem)[] {
  if (Object.keys(delta).length === 0) return [];
  const shard = randomTallyShard();
  return [(e) => e.userTally.update({ shard }).add(delta).commit()];
}
