import { randomBytes } from "node:crypto";
import { log } from "../observability/logger.ts";
import { addToWindow, type WindowCount } from "./window-count.store.ts";

export interface Limit {
  /** Calls admitted per window; callers skip limits of 0 (off). */
  limit: number;
  windowSeconds: number;
}

export interface Decision {
  allowed: boolean;
  limit: number;
  /** Calls left in this window as far as this instance knows. */
  remaining: number;
  /** Seconds until the window ends (and the count starts again). */
  resetSeconds: number;
}

export type WindowStore = (input: Parameters<typeof addToWindow>[0]) => Promise<WindowCount>;

interface WindowState {
  windowStart: number;
  windowSeconds: number;
  /** The shared count as of this instance's last flush (every instance's flushed calls). */
  synced: number;
  /** Instances that had counted calls in this window at the last flush; 0 before the first flush. */
  instances: number;
  /** Calls admitted here and not yet flushed (or being flushed). */
  pending: number;
  inflight: number;
  /** Flushes of one window run one after another, so `synced` only grows. */
  chain: Promise<void>;
}

/**
 * The per-window batch: how many calls this instance admits before it adds them to the shared count.
 * The first call of a window always flushes (so every instance is known to the others before it
 * batches); then the batch is the headroom it last saw divided by 17 × instances². The k-th instance to
 * join a window sees at least k instances, so all instances together hold back at most
 * limit × Σ 1/(17k²) < limit × π²/(6 × 17) < 9.7 % of the limit: the most the shared count can be
 * overshot. A call is refused only after a flush shows the shared count (admitted calls only) at the
 * limit, so no caller ever gets fewer than the limit.
 */
export function batchSize(state: Pick<WindowState, "synced" | "instances">, limit: number): number {
  if (state.instances === 0) return 1;
  return Math.max(1, Math.floor((limit - state.synced) / (17 * state.instances ** 2)));
}

/**
 * Fixed-window counters shared by every API instance through the table, at well under one write per
 * call: each instance counts locally and adds its calls to the window's counter item in batches (one
 * atomic ADD each), learning the total from the answer. One limiter per process (or per app in tests,
 * where two apps act as two instances).
 */
export class RateLimiter {
  readonly instanceId = randomBytes(9).toString("base64url");
  readonly #states = new Map<string, WindowState>();
  readonly #store: WindowStore;
  readonly #now: () => number;
  /** Writes made to the shared counters: what the bench reports per request. */
  flushes = 0;

  constructor(options: { store?: WindowStore; now?: () => number } = {}) {
    this.#store = options.store ?? addToWindow;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one call against `key` and says whether it is admitted. */
  async hit(key: string, { limit, windowSeconds }: Limit): Promise<Decision> {
    const nowSeconds = Math.floor(this.#now() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const resetSeconds = windowStart + windowSeconds - nowSeconds;
    const state = this.#stateOf(key, windowStart, windowSeconds);
    const estimate = () => state.synced + state.inflight + state.pending;

    if (estimate() + 1 > limit) {
      // Over as far as we know: learn the shared total before refusing anyone.
      await this.#flush(key, state);
      if (estimate() + 1 > limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    }
    state.pending += 1;
    if (state.pending >= batchSize(state, limit)) await this.#flush(key, state);
    return { allowed: true, limit, remaining: Math.max(0, limit - estimate()), resetSeconds };
  }

  #stateOf(key: string, windowStart: number, windowSeconds: number): WindowState {
    let state = this.#states.get(key);
    if (state && state.windowStart === windowStart) return state;
    if (this.#states.size >= 10_000) this.#forgetEndedWindows(windowStart);
    state = { windowStart, windowSeconds, synced: 0, instances: 0, pending: 0, inflight: 0, chain: Promise.resolve() };
    this.#states.set(key, state);
    return state;
  }

  #forgetEndedWindows(nowWindowStart: number): void {
    for (const [key, state] of this.#states) {
      if (state.windowStart + state.windowSeconds <= nowWindowStart) this.#states.delete(key);
    }
  }

  #flush(key: string, state: WindowState): Promise<void> {
    state.chain = state.chain.then(async () => {
      const amount = state.pending;
      state.pending -= amount;
      state.inflight += amount;
      try {
        this.flushes += 1;
        const total = await this.#store({
          key,
          windowStart: state.windowStart,
          windowSeconds: state.windowSeconds,
          amount,
          instanceId: this.instanceId,
        });
        state.synced = Math.max(state.synced, total.count);
        state.instances = total.instances;
      } catch (error) {
        // The limiter fails open: a store that does not answer is the request's problem, not the count's.
        state.pending += amount;
        log.warn("Rate limit counter not updated", { key, error });
      } finally {
        state.inflight -= amount;
      }
    });
    return state.chain;
  }
}
