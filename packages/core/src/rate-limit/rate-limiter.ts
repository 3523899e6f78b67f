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
 * The per-window batch: how many calls this instance admits before it adds them to the shared count
 * (one atomic ADD): the headroom it last saw divided by 17 × instances². Where that is 1 (an instance's
 * first call in a window, or close to the limit) each call is counted exactly instead, by a
 * conditional ADD that refuses to pass the limit. The k-th instance to join a window knows at least k
 * instances, so all instances together hold back fewer than limit × Σ 1/(17k²) < limit × π²/102,
 * under 9.7% of the limit: the most a window can be overshot. A call is refused only when the shared
 * count (of admitted calls) has reached the limit, so no caller ever gets fewer than the limit.
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

    const refused = { allowed: false, limit, remaining: 0, resetSeconds };
    // The shared count only grows within a window: once it reached the limit, refuse without asking.
    if (state.synced >= limit) return refused;
    if (batchSize(state, limit) > 1 && estimate() + 1 <= limit) {
      state.pending += 1;
      if (state.pending >= batchSize(state, limit)) await this.#flush(key, state);
    } else if (!(await this.#countExactly(key, state, limit))) {
      return refused;
    }
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

  /** Flushes what is pending, then adds this call only if that keeps the shared count within the limit. */
  async #countExactly(key: string, state: WindowState, limit: number): Promise<boolean> {
    if (state.pending > 0) await this.#flush(key, state);
    let admitted = true;
    state.chain = state.chain.then(async () => {
      try {
        this.flushes += 1;
        const total = await this.#store({ ...this.#target(key, state), amount: 1, ceiling: limit });
        admitted = total.added;
        state.synced = Math.max(state.synced, total.count);
        if (total.added) state.instances = total.instances;
      } catch (error) {
        state.pending += 1; // fail open; counted with the next flush
        this.#failedOpen(key, state, error);
      }
    });
    await state.chain;
    return admitted;
  }

  /**
   * The limiter fails open: a store that does not answer is the request's problem, not the count's.
   * Until the next flush works, this instance batches as if it were alone rather than asking the store
   * on every call (which would make each call wait for the same failing store).
   */
  #failedOpen(key: string, state: WindowState, error: unknown): void {
    state.instances = Math.max(state.instances, 1);
    log.warn("Rate limit counter not updated", { key, error });
  }

  #target(key: string, state: WindowState) {
    return { key, windowStart: state.windowStart, windowSeconds: state.windowSeconds, instanceId: this.instanceId };
  }

  #flush(key: string, state: WindowState): Promise<void> {
    state.chain = state.chain.then(async () => {
      if (state.pending === 0) return;
      const amount = state.pending;
      state.pending -= amount;
      state.inflight += amount;
      try {
        this.flushes += 1;
        const total = await this.#store({ ...this.#target(key, state), amount });
        state.synced = Math.max(state.synced, total.count);
        state.instances = total.instances;
      } catch (error) {
        state.pending += amount;
        this.#failedOpen(key, state, error);
      } finally {
        state.inflight -= amount;
      }
    });
    return state.chain;
  }
}
