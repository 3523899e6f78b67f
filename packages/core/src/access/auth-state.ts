import type { EntityItem } from "electrodb";
import { AppError } from "../errors.ts";
import type { AuthStateEntity } from "../store/entities/auth-state.entity.ts";
import { db } from "../store/service.ts";
import { getByUserId } from "../store/user-keyed-get.ts";
import type { Step } from "../store/transaction.ts";
import type { Status } from "../user-vocabulary.ts";

/**
 * The auth state: one item per user that every authenticated request reads (one consistent key-value
 * read): the user's status and roles, and the sessions still open (`<sessionId>@<expiresAt epoch s>`).
 * This domain is its only writer. The user domain keeps it in step with status and role changes by
 * putting `authStateStep` into its own transaction, so a change counts on the very next request.
 */
export const sessionEntry = (sessionId: string, expiresAt: number) => `${sessionId}@${expiresAt}`;

/** An entry's session id and expiry (epoch seconds). */
export function parseSessionEntry(entry: string): { sessionId: string; expiresAt: number } {
  const at = entry.lastIndexOf("@");
  return { sessionId: entry.slice(0, at), expiresAt: Number(entry.slice(at + 1)) };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The open-session entry for `sessionId`, if it is there and not past its expiry. */
export function openSessionEntry(sessions: readonly string[] | undefined, sessionId: string, now = nowSeconds()) {
  return (sessions ?? []).find((entry) => {
    const parsed = parseSessionEntry(entry);
    return parsed.sessionId === sessionId && parsed.expiresAt > now;
  });
}

export async function readAuthState(userId: string) {
  // Every authenticated request reads it: without ElectroDB's per-call request building.
  return getByUserId<EntityItem<typeof AuthStateEntity>>(db().authState, userId, true);
}

/** The user's session entries as they are now (expired ones included), to prune before opening one. */
export async function openSessionsNow(userId: string): Promise<readonly string[]> {
  return (await readAuthState(userId))?.sessions ?? [];
}

/** The open-session entry of one of the user's sessions (to keep it through a change that ends the others). */
export async function openSessionOf(userId: string, sessionId: string): Promise<string | undefined> {
  return openSessionEntry((await readAuthState(userId))?.sessions, sessionId);
}

/** Why an account may not sign in or act, or null when it may. */
export function refusalFor(status: Status): AppError | null {
  if (status === "suspended") return new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  if (status === "pending") return new AppError("ACCOUNT_PENDING", "This account is not active yet.");
  if (status === "deleted") return new AppError("UNAUTHENTICATED", "This account no longer exists.");
  return null;
}

/** Erasure: the write that deletes the user's auth state, for the erasure's transaction. */
export const authStateRemovalStep = (userId: string): Step => ({
  item: (e) => e.authState.delete({ userId }).commit(),
  whenConditionFails: "stale",
});

/**
 * The auth-state write of a user change, for the user domain's transaction. `sessionsAfter` lists the
 * open-session entries to keep (`[]` ends every session); absent keeps them as they are. A new user gets
 * a fresh state.
 */
export function authStateStep(
  user: { userId: string; status: Status; roles: readonly string[] },
  options: { created: boolean; sessionsAfter?: string[] },
): Step {
  const { userId, status, roles } = user;
  if (options.created) {
    return { item: (e) => e.authState.put({ userId, status, roles: [...roles] }).commit(), whenConditionFails: "stale" };
  }
  const sessions = options.sessionsAfter;
  return {
    item: (e) => {
      const update = e.authState.update({ userId }).set({ status, roles: [...roles] });
      if (sessions === undefined) return update.commit();
      return sessions.length === 0 ? update.remove(["sessions"]).commit() : update.set({ sessions }).commit();
    },
    whenConditionFails: "stale",
  };
}
