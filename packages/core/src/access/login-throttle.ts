import { setTimeout as sleep } from "node:timers/promises";
import { config } from "../config.ts";
import { AppError } from "../errors.ts";
import { db } from "../store/service.ts";
import { conditionally } from "../store/transaction.ts";
import { LOGIN_WINDOW_SECONDS } from "./access.config.ts";

type Kind = "email" | "ip";
type Count = { attempts: number; windowEndsAt: number };

/** Adds one to a counter whose 15-minute window starts at its first count; a passed window starts over. */
async function bump(kind: Kind, value: string): Promise<Count> {
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    const { data } = await db()
      .loginAttempts.update({ kind, value })
      .add({ attempts: 1 })
      .data((attributes, { ifNotExists }) => {
        ifNotExists(attributes.windowStartedAt, now);
        ifNotExists(attributes.expiresAt, Math.ceil(now / 1000) + LOGIN_WINDOW_SECONDS);
      })
      .go({ response: "all_new" });
    const windowEndsAt = data.windowStartedAt! + LOGIN_WINDOW_SECONDS * 1000;
    if (windowEndsAt > now || attempt >= 4) return { attempts: data.attempts!, windowEndsAt };
    // The window has passed (TTL deletion is not prompt): start a new one, unless someone just did
    // (then the condition fails and the next round counts in their window).
    await conditionally(() =>
      db()
        .loginAttempts.delete({ kind, value })
        .where(({ windowStartedAt }, { eq }) => eq(windowStartedAt, data.windowStartedAt!))
        .go(),
    );
    await sleep(attempt * 5);
  }
}

/** The current count, ignoring a window that has passed. */
async function peek(kind: Kind, value: string): Promise<Count | null> {
  const { data } = await db().loginAttempts.get({ kind, value }).go({ consistent: true });
  if (!data) return null;
  const windowEndsAt = data.windowStartedAt + LOGIN_WINDOW_SECONDS * 1000;
  return windowEndsAt > Date.now() ? { attempts: data.attempts, windowEndsAt } : null;
}

const tooMany = (count: Count) =>
  new AppError("TOO_MANY_ATTEMPTS", "Too many sign-in attempts; try again later.", {
    retryAfterSeconds: Math.max(1, Math.ceil((count.windowEndsAt - Date.now()) / 1000)),
  });

/**
 * Before a password is checked. Per email, the attempt is counted atomically first, so concurrent
 * guesses cannot slip past the limit (5 in 15 minutes); a success resets it. Per source IP, failures
 * across all emails are limited (a coarser brake on spraying many accounts).
 */
export async function guardLoginAttempt(email: string, sourceIp: string | null): Promise<void> {
  const { maxFailuresPerEmail, maxFailuresPerIp } = config();
  const [byEmail, byIp] = await Promise.all([bump("email", email), sourceIp ? peek("ip", sourceIp) : null]);
  if (byIp && byIp.attempts >= maxFailuresPerIp) throw tooMany(byIp);
  if (byEmail.attempts > maxFailuresPerEmail) throw tooMany(byEmail);
}

export async function recordLoginFailure(sourceIp: string | null): Promise<void> {
  if (sourceIp) await bump("ip", sourceIp);
}

export async function resetLoginAttempts(email: string): Promise<void> {
  await db().loginAttempts.delete({ kind: "email", value: email }).go();
}
