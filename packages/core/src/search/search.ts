import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../config.ts";
import { dynamo } from "../store/client.ts";
import { validationFailed } from "../errors.ts";
import { decodeCursor, encodeCursor, type Page } from "../pagination.ts";
import {
  TERM_SHARDS,
  compareKeys,
  emittingWord,
  matchesAll,
  normalizeText,
  probeWord,
  queryWords,
  termPartitions,
  termRange,
  type TermItem,
} from "./search-terms.ts";
import { mergeShards } from "./shard-merge.ts";

/** Query calls one search page may make: the first parallel read of every shard, then refills. */
export const MAX_QUERIES_PER_PAGE = TERM_SHARDS * 3;

export interface SearchInput {
  q: string;
  status?: string | undefined;
  email?: string | undefined;
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One shard's term range from a position, read strongly consistently: a write that answered is seen. */
async function readTerms(partition: string, probe: string, after: string | null, count: number) {
  const { from, to } = termRange(probe, after);
  const result = await dynamo().send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": partition, ":from": from, ":to": to },
      ProjectionExpression: "sk, userId, word, words, #status, createdAt",
      ExpressionAttributeNames: { "#status": "status" },
      ConsistentRead: true,
      Limit: count,
    }),
  );
  const items = (result.Items ?? []).map((item) => ({ ...(item as Omit<TermItem, "sort" | "partition">), sort: item.sk as string }));
  return { items, more: result.LastEvaluatedKey !== undefined };
}

type Found = Omit<TermItem, "partition">;

/**
 * The user ids of one page of a search, in the search order (see search-terms.ts): the longest query
 * word's term ranges are merged across shards; the other words, the status and the other filters are
 * checked against each term's word list; a user is taken only at its first matching word.
 */
export async function searchUserIds(input: SearchInput): Promise<Page<string>> {
  const words = queryWords(input.q);
  if (words.length === 0) throw validationFailed([{ path: "q", message: "must contain a letter or digit" }]);
  const probe = probeWord(words);
  const email = input.email === undefined ? undefined : normalizeText(input.email);
  const scope = JSON.stringify(["users-search", words, input.status ?? null, email ?? null, input.createdAfter ?? null, input.createdBefore ?? null]);
  const after = input.cursor === undefined ? null : decodeCursor(scope, input.cursor);
  const partitions = termPartitions(probe);
  const accept = (term: Found) =>
    term.word === emittingWord(term.words, probe) &&
    matchesAll(term.words, words) &&
    (input.status ? term.status === input.status : term.status !== "deleted") &&
    (email === undefined || term.words[0] === email) &&
    (input.createdAfter === undefined || term.createdAt > input.createdAfter) &&
    (input.createdBefore === undefined || term.createdAt < input.createdBefore);
  const result = await mergeShards<Found>({
    shards: partitions.length,
    read: (shard, position, count) => readTerms(partitions[shard]!, probe, position, count),
    keyOf: (term) => term.sort,
    compare: compareKeys,
    after,
    want: input.limit + 1,
    accept,
    batch: input.limit + 1,
    maxQueries: MAX_QUERIES_PER_PAGE,
  });
  const page = result.accepted.slice(0, input.limit);
  let nextCursor: string | null = null;
  if (result.accepted.length > input.limit) nextCursor = encodeCursor(scope, page[page.length - 1]!.sort);
  else if (!result.exhausted && result.lastKey !== null) nextCursor = encodeCursor(scope, result.lastKey);
  return { items: page.map((term) => term.userId), nextCursor };
}
