import { db } from "../store/service.ts";
import { TALLY_SHARDS, sumShards, type UserStats } from "./tally.ts";

export { tallyDelta, sumDeltas, type TallyDelta, type UserStats } from "./tally.ts";
export { tallyWrite, tallyWrites } from "./tally.write.ts";

/** The counts, summed over every tally shard with strongly consistent reads (one BatchGetItem). */
export async function readStats(): Promise<UserStats> {
  const keys = Array.from({ length: TALLY_SHARDS }, (_, shard) => ({ shard }));
  const { data, unprocessed } = await db().userTally.get(keys).go({ consistent: true });
  let shards = data;
  if (unprocessed.length > 0) {
    // Throttled keys come back unprocessed; read them once more before answering.
    const retry = await db().userTally.get(unprocessed).go({ consistent: true });
    if (retry.unprocessed.length > 0) throw new Error("The user counts could not be read; try again.");
    shards = [...shards, ...retry.data];
  }
  return sumShards(shards);
}
