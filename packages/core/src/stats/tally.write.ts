import type { TransactionEntities, TransactionItem } from "../store/service.ts";
import { randomTallyShard, tallyDelta, type Tallied } from "./tally.ts";

/**
 * The transaction item that adds a change to the counts: one atomic ADD on a random shard, or nothing when
 * the change moves no count. `before` null: the user was not counted yet; `after` null: it leaves every count.
 */
export function tallyWrites(before: Tallied | null, after: Tallied | null): ((e: TransactionEntities) => TransactionItem)[] {
  const delta = tallyDelta(before, after);
  if (Object.keys(delta).length === 0) return [];
  const shard = randomTallyShard();
  return [(e) => e.userTally.update({ shard }).add(delta).commit()];
}
