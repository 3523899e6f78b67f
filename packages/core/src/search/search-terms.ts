/**
 * Search terms: how a user's searchable fields become words, and how the words become term items.
 * Pure functions only (no I/O), shared by the write path, the search read path, the backfill and the
 * scale simulation.
 *
 * Matching rule (contract): each word of `q` must be the start of a word of the user's email (its local
 * part split at `.` `_` `-` `+`, and the whole address), username, first name or last name, compared
 * case- and accent-insensitively; every word of `q` must match.
 *
 * Storage: one term item per (user, distinct word), keyed
 *   pk = `$users#term#<first character of word>#<shard of user>`
 *   sk = `<word> <inverted creation time> <userId>`
 * so the users having a word that starts with `p` are one `begins_with(sk, p)` range in each of
 * TERM_SHARDS partitions: a search page is TERM_SHARDS parallel Queries (plus a bounded number of
 * refills), merged by sort key; never a Scan.
 *
 * Result order: by the user's alphabetically first word that starts with the searched word, then newest
 * first. A user is emitted only at that word, so a user with several matching words appears once.
 */
import { userShard } from "../store/index-shards.ts";

export { userShard };

/** Term partitions per first character: spreads writes of common initials over several key values. */
export const TERM_SHARDS = 8;
/** At most this many distinct words of a user are indexed (realistic profiles have fewer than 10). */
export const MAX_WORDS_PER_USER = 40;
/** Longest indexed word (the whole email address is at most 254 characters). */
export const MAX_WORD_LENGTH = 254;

const TERM_PREFIX = "$users#term#";

/** Lower case, compatibility decomposition, combining marks and control characters removed. */
export function normalizeText(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[\p{M}\p{Cc}\p{Cf}]/gu, "");
}

const nameWords = (value: string) => normalizeText(value).split(/[^\p{L}\p{N}']+/u);

export interface Searchable {
  email: string;
  username?: string | null;
  firstName: string;
  lastName: string;
}

/**
 * A user's distinct words, in a fixed priority order (email, username, names), at most
 * MAX_WORDS_PER_USER of them.
 */
export function searchWords(user: Searchable): string[] {
  const email = normalizeText(user.email.trim());
  const at = email.lastIndexOf("@");
  const local = at >= 0 ? email.slice(0, at) : email;
  const candidates = [
    email,
    ...local.split(/[._+-]+/),
    ...(user.username ? [normalizeText(user.username)] : []),
    ...nameWords(user.firstName),
    ...nameWords(user.lastName),
  ];
  const words: string[] = [];
  for (const word of candidates) {
    if (word.length === 0 || /\s/u.test(word) || words.includes(word)) continue;
    words.push(word.slice(0, MAX_WORD_LENGTH));
    if (words.length === MAX_WORDS_PER_USER) break;
  }
  return words;
}

/** The words of a search text: normalized, split at white space, without repeats or words implied by a longer one. */
export function queryWords(q: string): string[] {
  const words = [...new Set(normalizeText(q).split(/\s+/u).filter(Boolean))];
  return words.filter((word) => !words.some((other) => other !== word && other.startsWith(word)));
}

/** DynamoDB orders string keys by their UTF-8 bytes; so do we. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The query word whose term range is read: the longest (fewest users share a long prefix). */
export function probeWord(words: readonly string[]): string {
  return words.reduce((best, word) => ([...word].length > [...best].length ? word : best));
}

/** Every query word starts some word of the user. */
export function matchesAll(userWords: readonly string[], query: readonly string[]): boolean {
  return query.every((q) => userWords.some((word) => word.startsWith(q)));
}

/** The user's first word (in key order) that starts with `probe`: the only term a search for `probe` emits it at. */
export function emittingWord(userWords: readonly string[], probe: string): string | undefined {
  let first: string | undefined;
  for (const word of userWords) {
    if (word.startsWith(probe) && (first === undefined || compareKeys(word, first) < 0)) first = word;
  }
  return first;
}

const firstCharacter = (word: string) => String.fromCodePoint(word.codePointAt(0)!);

export function termPartition(word: string, shard: number): string {
  return `${TERM_PREFIX}${firstCharacter(word)}#${shard}`;
}

/** Every partition a search for `probe` reads. */
export function termPartitions(probe: string): string[] {
  return Array.from({ length: TERM_SHARDS }, (_, shard) => termPartition(probe, shard));
}

/** Newest first inside one word: milliseconds counted down from the year 2286. */
export function invertedTime(iso: string): string {
  return String(9_999_999_999_999 - Date.parse(iso)).padStart(13, "0");
}

export function termSort(word: string, createdAt: string, userId: string): string {
  return `${word} ${invertedTime(createdAt)} ${userId}`;
}

/** The sort-key range of the terms that start with `probe`, strictly after `after` when resuming. */
export function termRange(probe: string, after: string | null): { from: string; to: string } {
  // No key holds a control character, so `after + \u0001` is the next possible key after `after`;
  // U+10FFFF is the largest code point, so `probe + U+10FFFF` bounds every word starting with `probe`.
  const start = `${probe}`;
  const from = after !== null && compareKeys(after, start) >= 0 ? `${after}\u0001` : start;
  return { from, to: `${probe}\u{10FFFF}` };
}

export interface TermItem {
  partition: string;
  sort: string;
  word: string;
  userId: string;
  createdAt: string;
  status: string;
  /** Every indexed word of the user, so a search filters the other words and repeats without reading users. */
  words: string[];
}

export interface Indexable extends Searchable {
  userId: string;
  createdAt: string;
  status: string;
}

/** The term items a user should have. */
export function termItems(user: Indexable): TermItem[] {
  const words = searchWords(user);
  const shard = userShard(user.userId, TERM_SHARDS);
  return words.map((word) => ({
    partition: termPartition(word, shard),
    sort: termSort(word, user.createdAt, user.userId),
    word,
    userId: user.userId,
    createdAt: user.createdAt,
    status: user.status,
    words,
  }));
}

/**
 * What to write so the stored terms of `before` become those of `after`: delete the terms of words that
 * went, put every term of `after` (each carries the word list and status). Nothing when neither changed.
 */
export function termChanges(before: Indexable | null, after: Indexable): { remove: TermItem[]; put: TermItem[] } {
  const old = before ? termItems(before) : [];
  const next = termItems(after);
  const sameWords = old.length === next.length && old.every((item, i) => item.sort === next[i]!.sort);
  if (before && sameWords && before.status === after.status) return { remove: [], put: [] };
  const kept = new Set(next.map((item) => `${item.partition}\n${item.sort}`));
  return { remove: old.filter((item) => !kept.has(`${item.partition}\n${item.sort}`)), put: next };
}
