export { RateLimiter, batchSize, type Decision, type Limit, type WindowStore } from "./rate-limiter.ts";
export { addToWindow, type WindowCount } from "./window-count.store.ts";
