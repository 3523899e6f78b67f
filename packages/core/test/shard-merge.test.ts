import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evenShare, mergeShards, type MergeResult } from "../src/search/shard-merge.ts";

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Shards of sorted keys; reads return what a DynamoDB Query with Limit would. */
function fakeShards(keys: string[][]) {
  const sorted = keys.map((shard) => [...shard].sort(compare));
  let calls = 0;
  const read = async (shard: number, after: string | null, count: number) => {
    calls += 1;
    const rest = sorted[shard]!.filter((key) => after === null || key > after);
    return { items: rest.slice(0, count), more: rest.length > count };
  };
  return { read, calls: () => calls };
}

/** Pages through every accepted key, the way the API pages with cursors. */
async function readAll(keys: string[][], accept: (k: string) => boolean, want: number, batch: number, firstBatch?: number) {
  const { read } = fakeShards(keys);
  const out: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const result: MergeResult<string> = await mergeShards({
      shards: keys.length, read, keyOf: (k: string) => k, compare, after, want: want + 1, accept, batch, firstBatch, maxQueries: 6,
    });
    const items: string[] = result.accepted.slice(0, want);
    out.push(...items);
    if (result.accepted.length > want) after = items[items.length - 1]!;
    else if (result.exhausted) return out;
    else after = result.lastKey;
  }
  throw new Error("did not end");
}

describe("mergeShards", () => {
  it("merges shards in global order", async () => {
    const { read } = fakeShards([["a", "d", "g"], ["b", "e"], ["c", "f", "h"]]);
    const result = await mergeShards({
      shards: 3, read, keyOf: (k: string) => k, compare, after: null, want: 5, accept: () => true, batch: 2, maxQueries: 20,
    });
    expect(result.accepted).toEqual(["a", "b", "c", "d", "e"]);
    expect(result.lastKey).toBe("e");
  });

  it("stops at the query budget and reports how far it looked", async () => {
    const { read, calls } = fakeShards([["a", "b", "c", "d"], ["e"]]);
    const result = await mergeShards({
      shards: 2, read, keyOf: (k: string) => k, compare, after: null, want: 3, accept: (k) => k > "z", batch: 1, maxQueries: 3,
    });
    expect(calls()).toBe(3);
    expect(result).toMatchObject({ accepted: [], exhausted: false });
    expect(result.lastKey).toBe("b");
  });

  it("asks each shard for `firstBatch` items first, then `batch` when one runs out", async () => {
    const counts: number[] = [];
    const { read } = fakeShards([["a", "c", "e", "g"], ["b", "d"]]);
    const result = await mergeShards({
      shards: 2, read: (shard, after, count) => (counts.push(count), read(shard, after, count)),
      keyOf: (k: string) => k, compare, after: null, want: 4, accept: () => true, batch: 3, firstBatch: 1, maxQueries: 20,
    });
    expect(result.accepted).toEqual(["a", "b", "c", "d"]);
    expect(counts).toEqual([1, 1, 3, 3]);
  });

  it("an even share of a page is about twice a shard's part of it", () => {
    expect(evenShare(51, 16)).toBe(11);
    expect(evenShare(2, 16)).toBe(5);
    expect(evenShare(101, 16)).toBe(17);
  });

  it("pages through every accepted key exactly once, whatever the shards, filter, page and batch sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
        fc.integer({ min: 0, max: 2 }),
        async (raw, want, batch, firstBatch, mod) => {
          // Keys are unique across shards, as term keys are (they end with the user id).
          const keys = raw.map((shard, i) => shard.map((k) => `${k}#${i}`));
          const accept = (k: string) => mod === 0 || k.length % (mod + 1) === 0;
          const expected = keys.flat().filter(accept).sort(compare);
          expect(await readAll(keys, accept, want, batch, firstBatch)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
