import { writeTransaction } from "../store/transaction.ts";
import { db } from "../store/service.ts";
import { termWrites } from "../search/index.ts";
import { tallyWrites } from "../stats/index.ts";
import { INDEX_VERSION } from "./user.write.ts";
import { indexShard } from "../store/index-shards.ts";

export type BackfillOutcome = "indexed" | "already" | "missing";

/**
 * Writes the search terms and counts of a user stored before they existed, exactly once, and moves it to
 * the sharded list indexes: the user item is put again, marked with `indexVersion`, in the same transaction, on condition that it is still at the version
 * read and not yet marked (a concurrent change, which indexes the user itself, makes us read again).
 */
export async function indexStoredUser(userId: string): Promise<BackfillOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const { data: user } = await db().user.get({ userId }).go({ consistent: true });
    if (!user) return "missing";
    if (user.indexVersion === INDEX_VERSION) return "already";
    const derived = [...termWrites(null, user), ...tallyWrites(null, user)];
    const outcome = await writeTransaction((e) => [
      // The whole item is put again, so its list-index keys take the sharded form too.
      e.user
        .put({ ...user, indexVersion: INDEX_VERSION, indexShard: indexShard(userId) })
        .where(({ version, indexVersion }, { eq, notExists }) => `${eq(version, user.version)} AND ${notExists(indexVersion)}`)
        .commit(),
      ...derived.map((item) => item(e)),
    ]);
    if (outcome.committed) return "indexed";
  }
  throw new Error(`Indexing user ${userId} kept conflicting with concurrent writes`);
}
