/** A stable shard for a user (FNV-1a of the id), so its keys can be found again (search terms, index entries). */
export function userShard(userId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/**
 * The status index (gsi2) and the all-users index (gsi3) are sharded: a user's entries go under
 * `<status>#<shard>` and `<shard>`, with the shard a stable hash of its id, so writes spread over
 * INDEX_SHARDS key values per status instead of one; lists merge the shards newest first.
 */
export const INDEX_SHARDS = 16;

export const indexShard = (userId: string) => userShard(userId, INDEX_SHARDS);
