import { describe, expect, it } from "vitest";
import { batchSize, RateLimiter, type WindowStore } from "../src/rate-limit/index.ts";

/** The shared counter item, in memory, as DynamoDB's atomic ADD keeps it; `delay` lets flushes overlap. */
function sharedStore(delay = 0) {
  const counts = new Map<string, { count: number; instances: Set<string> }>();
  let writes = 0;
  const store: WindowStore = async ({ key, windowStart, amount, instanceId, ceiling }) => {
    if (delay) await new Promise((resolve) => setTimeout(resolve, Math.random() * delay));
    writes += 1;
    const id = `${key}#${windowStart}`;
    const item = counts.get(id) ?? { count: 0, instances: new Set<string>() };
    if (ceiling !== undefined && item.count + amount > ceiling) return { added: false, count: item.count, instances: 0 };
    item.count += amount;
    item.instances.add(instanceId);
    counts.set(id, item);
    return { added: true, count: item.count, instances: item.instances.size };
  };
  return { store, writes: () => writes };
}

const now = () => Date.UTC(2026, 10, 29, 12, 0, 30);

describe("RateLimiter", () => {
  it("admits exactly the limit on one instance, then refuses until the window ends", async () => {
    const { store, writes } = sharedStore();
    const limiter = new RateLimiter({ store, now });
    const decisions = [];
    for (let i = 0; i < 130; i++) decisions.push(await limiter.hit("ip#1", { limit: 100, windowSeconds: 60 }));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(decisions.slice(100).every((d) => !d.allowed && d.remaining === 0 && d.resetSeconds === 30)).toBe(true);

    const later = new RateLimiter({ store, now: () => now() + 30_000 });
    expect((await later.hit("ip#1", { limit: 100, windowSeconds: 60 })).allowed).toBe(true);
  });

  it("writes well under once per call for a caller below the limit", async () => {
    for (const [limit, calls, most] of [[100, 50, 15], [1000, 500, 25]] as const) {
      const { store, writes } = sharedStore();
      const limiter = new RateLimiter({ store, now });
      for (let i = 0; i < calls; i++) expect((await limiter.hit(`k${limit}`, { limit, windowSeconds: 60 })).allowed).toBe(true);
      expect(writes(), `limit ${limit}`).toBeLessThanOrEqual(most);
    }
  });

  it("across instances admits at least the limit and at most 10% more", async () => {
    for (const instances of [2, 3, 5, 10]) {
      for (const limit of [20, 100, 1000]) {
        const { store } = sharedStore(3);
        const limiters = Array.from({ length: instances }, () => new RateLimiter({ store, now }));
        let admitted = 0;
        // Every instance serves the same caller at once, each call in turn.
        await Promise.all(
          limiters.map(async (limiter) => {
            for (let i = 0; i < Math.ceil((limit * 1.5) / instances) + 5; i++) {
              if ((await limiter.hit("user#u", { limit, windowSeconds: 3600 })).allowed) admitted += 1;
            }
          }),
        );
        expect(admitted, `${instances} instances, limit ${limit}`).toBeGreaterThanOrEqual(limit);
        expect(admitted, `${instances} instances, limit ${limit}`).toBeLessThanOrEqual(Math.floor(limit * 1.1));
      }
    }
  });

  it("batches by the headroom it last saw, shared among the instances it knows", () => {
    expect(batchSize({ synced: 0, instances: 0 }, 1000)).toBe(1);
    expect(batchSize({ synced: 0, instances: 1 }, 1000)).toBe(58);
    expect(batchSize({ synced: 0, instances: 2 }, 1000)).toBe(14);
    expect(batchSize({ synced: 990, instances: 1 }, 1000)).toBe(1);
  });

  it("fails open when the counter cannot be written, without asking the failing store on every call", async () => {
    let calls = 0;
    const limiter = new RateLimiter({ store: () => (calls++, Promise.reject(new Error("down"))), now });
    for (let i = 0; i < 20; i++) expect((await limiter.hit("ip#2", { limit: 1000, windowSeconds: 60 })).allowed).toBe(true);
    expect(calls).toBe(1);
  });
});
