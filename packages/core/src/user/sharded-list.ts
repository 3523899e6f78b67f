import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { config } from "../config.ts";
import { dynamoReads } from "../store/client.ts";
import { tableLayout } from "../store/table-layout.ts";
import { decodeCursor, encodeCursor, type Page } from "../pagination.ts";
import { compareKeys, evenShare, mergeShards } from "../search/index.ts";
import { INDEX_SHARDS } from "../store/index-shards.ts";

/** The index key values of a user's entries; `store/entities/user.entity.ts` declares the same templates. */
const statusPartition = (status: string, shard: number) => `$users#status#${status}#${shard}`;
const allPartition = (shard: number) => `$users#all#${shard}`;
const userIdOf = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf("#") + 1);

export interface ShardedListInput {
  status?: string | undefined;
  createdAfter?: string | undefined;
  createdBefore?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * The ids of one page of users newest first, from the sharded status index (with `status`) or the
 * sharded all-users index: every shard is read in parallel (keys only) and merged by `createdAt#userId`,
 * descending. The cursor is the last key returned; it resumes every shard, since all share that order.
 */
export async function listUserIds(input: ShardedListInput): Promise<Page<string>> {
  const index = input.status ? "gsi2" : "gsi3";
  const { partitionKey, sortKey } = tableLayout.globalIndexes[index];
  const scope = JSON.stringify(["users", input.status ?? null, input.createdAfter ?? null, input.createdBefore ?? null]);
  const after = input.cursor === undefined ? null : decodeCursor(scope, input.cursor);
  const partitions = Array.from({ length: INDEX_SHARDS }, (_, shard) =>
    input.status ? statusPartition(input.status, shard) : allPartition(shard),
  );
  // Strict bounds on creation time: `<instant>#` sorts before every key of that instant, U+10FFFF after.
  const low = input.createdAfter ? `${input.createdAfter}#\u{10FFFF}` : " ";
  const high = input.createdBefore ? `${input.createdBefore}#` : "\u{10FFFF}";
  const read = async (shard: number, position: string | null, count: number) => {
    // BETWEEN is inclusive: resuming at `position` may return that key itself, which is dropped.
    const result = await dynamoReads().send(
      new QueryCommand({
        TableName: config().tableName,
        IndexName: index,
        KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :low AND :high",
        ExpressionAttributeNames: { "#pk": partitionKey, "#sk": sortKey },
        ProjectionExpression: "#sk",
        ExpressionAttributeValues: { ":pk": { S: partitions[shard]! }, ":low": { S: low }, ":high": { S: position ?? high } },
        ScanIndexForward: false,
        Limit: position === null ? count : count + 1,
      }),
    );
    const keys = (result.Items ?? []).map((item) => item[sortKey]!.S!).filter((key) => key !== position);
    return { items: keys, more: result.LastEvaluatedKey !== undefined };
  };
  const result = await mergeShards<string>({
    shards: INDEX_SHARDS,
    read,
    keyOf: (key) => key,
    compare: (a, b) => compareKeys(b, a),
    after,
    want: input.limit + 1,
    accept: () => true,
    // A user's entries go to a shard by a hash of its id, so each shard holds about its share of a page.
    firstBatch: evenShare(input.limit + 1, INDEX_SHARDS),
    batch: input.limit + 1,
    maxQueries: INDEX_SHARDS * 3,
  });
  const page = result.accepted.slice(0, input.limit);
  let nextCursor: string | null = null;
  if (result.accepted.length > input.limit) nextCursor = encodeCursor(scope, page[page.length - 1]!);
  else if (!result.exhausted && result.lastKey !== null) nextCursor = encodeCursor(scope, result.lastKey);
  return { items: page.map(userIdOf), nextCursor };
}
