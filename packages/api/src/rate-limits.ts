import { AppError, RateLimit, type Actor, type RateLimitSettings } from "@users/core";

export type CallKind = "read" | "write";

const MINUTE = 60;
const HOUR = 3600;

/** Whose reads and writes a call counts against: a user by id, a machine client by client id; else no one. */
function callerKey(actor: Actor): string | undefined {
  if (actor.kind === "user") return `user#${actor.userId}`;
  if (actor.kind === "client") return `client#${actor.clientId}`;
  return undefined;
}

/**
 * The rate limits one HTTP request is subject to (contract, "Limits and robustness"): every call from
 * its source IP, and the reads or writes of its caller (a signed-in user, or a machine client counted
 * per client id, with the same limits). REST requests count their IP once, before anything else; tRPC
 * counts it per call, so each call of a batch counts. RateLimit-* headers report the tightest limit that
 * applied.
 */
export class RequestRateLimits {
  readonly #decisions: RateLimit.Decision[] = [];
  /** Procedure calls this request made (a tRPC request that made none still counts once). */
  calls = 0;

  constructor(
    private readonly limiter: RateLimit.RateLimiter,
    private readonly settings: RateLimitSettings,
    private readonly ip: string | null,
    /** tRPC: the IP is counted per call, in the procedures. */
    readonly ipPerCall: boolean,
  ) {}

  /** Counts the request against its IP; throws RATE_LIMITED when over. */
  async countIp(): Promise<void> {
    if (this.ip) await this.#check(`ip#${this.ip}`, this.settings.ipPerMinute, MINUTE);
  }

  /** One procedure call, before its caller is known: its IP, for tRPC. */
  async countCall(): Promise<void> {
    this.calls += 1;
    if (this.ipPerCall) await this.countIp();
  }

  /** The call's caller, when it is a signed-in user or a machine client: its reads or writes. */
  async countCaller(kind: CallKind, actor: Actor): Promise<void> {
    const caller = callerKey(actor);
    if (!caller) return;
    if (kind === "read") await this.#check(`reads#${caller}`, this.settings.userReadsPerHour, HOUR);
    else await this.#check(`writes#${caller}`, this.settings.userWritesPerHour, HOUR);
  }

  async #check(key: string, limit: number, windowSeconds: number): Promise<void> {
    if (limit === 0) return;
    const decision = await this.limiter.hit(key, { limit, windowSeconds });
    this.#decisions.push(decision);
    if (!decision.allowed) {
      throw new AppError("RATE_LIMITED", "Too many requests; try again after the time in Retry-After.", {
        retryAfterSeconds: Math.max(1, decision.resetSeconds),
      });
    }
  }

  /** RateLimit-Limit/Remaining/Reset of the tightest limit that applied, if any did. */
  headers(): Record<string, string> | undefined {
    const tightest = this.#decisions.reduce<RateLimit.Decision | undefined>(
      (best, d) => (!best || d.remaining < best.remaining ? d : best),
      undefined,
    );
    if (!tightest) return undefined;
    return {
      "RateLimit-Limit": String(tightest.limit),
      "RateLimit-Remaining": String(tightest.remaining),
      "RateLimit-Reset": String(Math.max(1, tightest.resetSeconds)),
    };
  }
}
