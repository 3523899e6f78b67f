import { userShard } from "../search/search-terms.ts";

/**
 * The status index (gsi2) and the all-users index (gsi3) are sharded: a user's entries go under
 * `<status>#<shard>` and `<shard>`, with the shard a stable hash of its id, so writes spread over
 * INDEX_SHARDS key values per status instead of one; lists merge the shards newest first.
 */
export const INDEX_SHARDS = 16;

export const indexShard = (userId: string) => userShard(userId, INDEX_SHARDS);
