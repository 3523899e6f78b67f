import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors.ts";
import { LOGIN_WINDOW_SECONDS, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from "./auth.config.ts";
import { LoginAttemptsEntity } from "./login-attempts.entity.ts";

type Kind = "email" | "ip";
const limits: Record<Kind, number> = { email: MAX_FAILURES_PER_EMAIL, ip: MAX_FAILURES_PER_IP };

/**
 * Counts one sign-in attempt atomically *before* the password is checked, so concurrent guesses cannot
 * slip past the limit. The window starts at the first attempt and lasts 15 minutes; a success resets the
 * email's count. Returns the seconds to wait when over the limit.
 */
async function countAttempt(kind: Kind, value: string): Promise<number | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = Date.now();
    const { data } = await LoginAttemptsEntity.update({ kind, value })
      .add({ attempts: 1 })
      .data((attributes, { ifNotExists }) => {
        ifNotExists(attributes.windowStartedAt, now);
        ifNotExists(attributes.expiresAt, Math.ceil(now / 1000) + LOGIN_WINDOW_SECONDS);
      })
      .go({ response: "all_new" });
    const windowEndsAt = data.windowStartedAt! + LOGIN_WINDOW_SECONDS * 1000;
    if (windowEndsAt > now) {
      return data.attempts! > limits[kind] ? Math.max(1, Math.ceil((windowEndsAt - now) / 1000)) : null;
    }
    // The window has passed (TTL deletion is not prompt): start a new one unless someone just did.
    await LoginAttemptsEntity.delete({ kind, value })
      .where(({ windowStartedAt }, { eq }) => eq(windowStartedAt, data.windowStartedAt!))
      .go()
      .catch(() => undefined);
    await sleep(attempt * 5);
  }
  return null;
}

export async function guardLoginAttempt(email: string, sourceIp: string | null): Promise<void> {
  const [byEmail, byIp] = await Promise.all([
    countAttempt("email", email),
    sourceIp ? countAttempt("ip", sourceIp) : Promise.resolve(null),
  ]);
  const wait = Math.max(byEmail ?? 0, byIp ?? 0);
  if (wait > 0) {
    throw new AppError("TOO_MANY_ATTEMPTS", "Too many sign-in attempts; try again later.", { retryAfterSeconds: wait });
  }
}

export async function resetLoginAttempts(email: string): Promise<void> {
  await LoginAttemptsEntity.delete({ kind: "email", value: email }).go();
}
