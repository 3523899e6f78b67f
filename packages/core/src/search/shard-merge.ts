/**
 * A k-way merge of sharded, identically ordered key ranges: the shards are read in parallel, then
 * refilled one at a time as their buffers drain, and items come out in global key order. Since every
 * shard sorts by the same keys, one position (the last key examined) resumes them all, so a cursor
 * needs only that key. Work is bounded: at most `maxQueries` Query calls per page.
 */

export interface ShardBatch<T> {
  items: T[];
  /** True when the shard may hold more items after the last one returned. */
  more: boolean;
}

export interface MergeOptions<T> {
  shards: number;
  /** Reads up to `count` items of one shard strictly after `after` (null: from the start), in key order. */
  read: (shard: number, after: string | null, count: number) => Promise<ShardBatch<T>>;
  keyOf: (item: T) => string;
  compare: (a: string, b: string) => number;
  /** Where to start (exclusive): a cursor's position, or null. */
  after: string | null;
  /** How many accepted items to find. */
  want: number;
  accept: (item: T) => boolean;
  /** Items asked of a shard per Query. */
  batch: number;
  /**
   * Items asked of each shard by the opening parallel read (default `batch`). A merge that keeps every
   * item can ask for about its share of `want`: a shard that holds more is refilled when it drains.
   */
  firstBatch?: number;
  maxQueries: number;
}

export interface MergeResult<T> {
  accepted: T[];
  /** The last key examined: every item up to it, in every shard, was seen. Null when nothing was. */
  lastKey: string | null;
  /** True when every shard was read to its end. */
  exhausted: boolean;
  queries: number;
}

/**
 * Items to ask of each of `shards` shards first when keys are spread evenly over them (by a hash) and
 * the merge keeps every item: twice a shard's expected share of `want`, plus four. For 51 items over 16
 * shards that is 11 each (176 read instead of 816), and about one page in 200 needs a second round.
 */
export const evenShare = (want: number, shards: number) => Math.ceil((2 * want) / shards) + 4;

export async function mergeShards<T>(options: MergeOptions<T>): Promise<MergeResult<T>> {
  const { shards, read, keyOf, compare, after, want, accept, batch, maxQueries } = options;
  const state = Array.from({ length: shards }, () => ({ buffer: [] as T[], position: after, more: true }));
  let queries = 0;
  const refill = async (shard: number, count: number) => {
    const s = state[shard]!;
    queries += 1;
    const result = await read(shard, s.position, count);
    s.buffer.push(...result.items);
    s.more = result.more && result.items.length > 0;
    const last = result.items[result.items.length - 1];
    if (last !== undefined) s.position = keyOf(last);
  };
  await Promise.all(state.map((_, shard) => refill(shard, options.firstBatch ?? batch)));

  const accepted: T[] = [];
  let lastKey: string | null = after;
  while (accepted.length < want) {
    // A shard whose buffer is empty but may hold more must be read before anything can be emitted.
    const drained = state.findIndex((s) => s.buffer.length === 0 && s.more);
    if (drained >= 0) {
      if (queries >= maxQueries) return { accepted, lastKey, exhausted: false, queries };
      await refill(drained, batch);
      continue;
    }
    let best = -1;
    for (let shard = 0; shard < shards; shard++) {
      const head = state[shard]!.buffer[0];
      if (head === undefined) continue;
      if (best < 0 || compare(keyOf(head), keyOf(state[best]!.buffer[0]!)) < 0) best = shard;
    }
    if (best < 0) return { accepted, lastKey, exhausted: true, queries };
    const item = state[best]!.buffer.shift()!;
    lastKey = keyOf(item);
    if (accept(item)) accepted.push(item);
  }
  const exhausted = state.every((s) => s.buffer.length === 0 && !s.more);
  return { accepted, lastKey, exhausted, queries };
}
