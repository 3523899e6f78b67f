/**
 * Search: how a user's fields become search terms (pure key design), the term items that keep them in
 * step with a user in the user's own transaction, and the read path that answers a search.
 */
export * from "./search-terms.ts";
export { searchUserIds, MAX_QUERIES_PER_PAGE, type SearchInput } from "./search.ts";
export { evenShare, mergeShards, type ShardBatch, type MergeOptions, type MergeResult } from "./shard-merge.ts";
export { termWrites, termDeletes } from "./term.write.ts";
