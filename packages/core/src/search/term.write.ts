import type { TransactionEntities, TransactionItem } from "../store/service.ts";
import { termChanges, termItems, type Indexable } from "./search-terms.ts";

/**
 * The transaction items that keep a user's search terms in step with it (none when its words and status
 * did not change). `before` null: the user has no terms yet (new, or written before search existed).
 */
export function termWrites(before: Indexable | null, after: Indexable): ((e: TransactionEntities) => TransactionItem)[] {
  const { remove, put } = termChanges(before, after);
  return [
    ...remove.map((term) => (e: TransactionEntities) => e.term.delete({ partition: term.partition, sort: term.sort }).commit()),
    ...put.map((term) => (e: TransactionEntities) => e.term.put(term).commit()),
  ];
}

/** The transaction items that delete every search term of a user (erasure: nothing is left to find). */
export function termDeletes(user: Indexable): ((e: TransactionEntities) => TransactionItem)[] {
  return termItems(user).map((term) => (e: TransactionEntities) => e.term.delete({ partition: term.partition, sort: term.sort }).commit());
}
