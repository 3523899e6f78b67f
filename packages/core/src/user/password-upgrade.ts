import { bcryptScheme, hashNeedsUpgrade, hashPassword } from "../access/index.ts";
import { config } from "../config.ts";
import { logger } from "../observability/logger.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { changeUser, nextVersion } from "./user.write.ts";

/**
 * After a successful password check: an imported hash (another cost, or $2a$/$2y$) is replaced by one at
 * the configured cost, through the user's write path (a new version and a `user.password_changed` event
 * whose reason says the password itself is unchanged). A failure here never fails the sign-in.
 */
export async function rehashIfOutdated(user: StoredUser, password: string): Promise<StoredUser> {
  const rounds = config().bcryptRounds;
  if (!hashNeedsUpgrade(user.passwordHash, rounds)) return user;
  const from = bcryptScheme(user.passwordHash)!;
  const cost = (n: number) => String(n).padStart(2, "0");
  try {
    return await changeUser(user.userId, undefined, async (current) => {
      if (current.passwordHash !== user.passwordHash) return null; // changed meanwhile: nothing to upgrade
      return {
        next: nextVersion(current, { passwordHash: await hashPassword(password) }),
        event: {
          type: "user.password_changed",
          changes: { passwordHashScheme: { from: `$${from.variant}$${cost(from.cost)}`, to: `$2b$${cost(rounds)}` } },
          reason: "Password hash moved to the configured cost at sign-in; the password is unchanged.",
        },
      };
    });
  } catch (error) {
    logger.warn("Could not upgrade an imported password hash", { userId: user.userId, error: (error as Error).message });
    return user;
  }
}
