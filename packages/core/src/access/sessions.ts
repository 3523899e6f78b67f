import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import { useContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { Policy } from "../policy.ts";
import { db, type TransactionItem } from "../store/service.ts";
import { commitSteps, type Step } from "../store/transaction.ts";
import { normalizeRoles, type Role, type Status } from "../user-vocabulary.ts";
import { validated } from "../validation.ts";
import { issueAccessToken } from "./access-token.ts";
import { ACCESS_TOKEN_SECONDS, MAX_SESSIONS_PER_USER, REFRESH_TOKEN_SECONDS } from "./access.config.ts";
import { SessionRef, type SessionTokens, type SessionView } from "./access.schema.ts";
import { nowSeconds, openSessionsNow, parseSessionEntry, readAuthState, refusalFor, sessionEntry } from "./auth-state.ts";
import { hashSecret, newRefreshToken } from "./refresh-token.ts";
import { openSessionsOf } from "./user-sessions.ts";

/** Who a session is opened for. */
export interface SessionSubject {
  userId: string;
  roles: readonly string[];
}

/**
 * Drops expired entries (and the oldest beyond the cap) from a user's open sessions, before adding one.
 * `sessions`: the entries as a sign-in read them while checking the password; otherwise read now.
 */
async function pruneSessions(userId: string, sessions?: readonly string[]): Promise<void> {
  sessions ??= await openSessionsNow(userId);
  const now = nowSeconds();
  const expiry = (entry: string) => parseSessionEntry(entry).expiresAt;
  const byExpiry = [...sessions].sort((a, b) => expiry(a) - expiry(b));
  const expired = byExpiry.filter((entry) => expiry(entry) <= now);
  const open = byExpiry.filter((entry) => !expired.includes(entry));
  const excess = open.slice(0, Math.max(0, open.length - (MAX_SESSIONS_PER_USER - 1)));
  const drop = [...expired, ...excess];
  if (drop.length > 0) await db().authState.update({ userId }).delete({ sessions: drop }).go();
}

/**
 * Opens a session: the session item, its auth-state entry (only while the account is active) and the
 * login event, in one transaction with whatever the caller adds (the user domain records lastLoginAt).
 */
export async function openSession(subject: SessionSubject, alsoWrite: Step[] = [], sessions?: readonly string[]): Promise<SessionTokens> {
  await pruneSessions(subject.userId, sessions);
  const { sourceIp, userAgent } = useContext();
  const { userId } = subject;
  const sessionId = randomUUID();
  const expiresAt = nowSeconds() + REFRESH_TOKEN_SECONDS;
  const { token: refreshToken, secret } = newRefreshToken(userId, sessionId);
  const roles: Role[] = normalizeRoles(subject.roles);
  const accessToken = await issueAccessToken({ sub: userId, sid: sessionId, roles });
  const openedAt = new Date().toISOString();
  const event = await sealAuditEvent(auditEvent("auth.login_succeeded", userId, {}, { occurredAt: openedAt }));
  const steps: Step[] = [
    {
      item: (e) =>
        e.session
          .create({
            sessionId,
            userId,
            refreshHash: hashSecret(secret),
            createdAt: openedAt,
            lastUsedAt: openedAt,
            ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
            ...(sourceIp ? { ip: sourceIp } : {}),
            expiresAt,
          })
          .commit(),
      whenConditionFails: "stale",
    },
    {
      item: (e) =>
        e.authState
          .update({ userId })
          .add({ sessions: [sessionEntry(sessionId, expiresAt)] })
          .where(({ status }, { eq }) => eq(status, "active"))
          .commit(),
      whenConditionFails: "stale",
    },
    ...alsoWrite,
    { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
  ];
  for (let attempt = 1; (await commitSteps(steps)) !== "committed"; attempt++) {
    // The account changed under us (for example it was just suspended): say what it is now. Still
    // active: the transaction lost a race for the same items (another sign-in or change of this user,
    // DynamoDB's TransactionConflict); nothing of it was written, so it is sent again.
    const state = await readAuthState(userId);
    const refused = state && refusalFor(state.status as Status);
    if (refused) throw refused;
    if (!state || attempt >= 3) throw new AppError("INTERNAL", "Signing in conflicted; try again.");
    await sleep(attempt * 20);
  }
  return { accessToken, refreshToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_SECONDS };
}

type EndReason = "auth.logged_out" | "auth.session_revoked" | "auth.refresh_reuse_detected";

/** Ends one session: its auth-state entry goes (every token of it stops working), with an audit event. */
export async function endSession(userId: string, sessionId: string, type: EndReason): Promise<void> {
  const state = await readAuthState(userId);
  const entries = (state?.sessions ?? []).filter((entry) => parseSessionEntry(entry).sessionId === sessionId);
  const event = await sealAuditEvent(auditEvent(type, userId, { session: { from: sessionId, to: null } }));
  const revokedAt = new Date().toISOString();
  const outcome = await commitSteps([
    ...(entries.length > 0
      ? [{ item: (e) => e.authState.update({ userId }).delete({ sessions: entries }).commit(), whenConditionFails: "stale" } satisfies Step]
      : []),
    { item: (e) => e.session.patch({ userId, sessionId }).set({ revokedAt }).commit() as TransactionItem, whenConditionFails: "stale" },
    { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
  ]);
  // "stale": the session item is gone (expired and removed); its entry, if any, expires with it.
  if (typeof outcome === "object") throw outcome;
}

/** Ends the caller's current session. */
export async function logout(): Promise<void> {
  const actor = Policy.signedIn(useContext().actor);
  await endSession(actor.userId, actor.sessionId!, "auth.logged_out");
}

/** The caller's open sessions, newest first. */
export async function sessions(): Promise<{ items: SessionView[] }> {
  const actor = Policy.signedIn(useContext().actor);
  return { items: await openSessionsOf(actor.userId, actor.sessionId) };
}

/** Ends a session by id: the session's own user, or an admin. Someone else's session looks absent. */
export const revokeSession = validated(SessionRef, async ({ sessionId }): Promise<void> => {
  const actor = useContext().actor;
  Policy.signedIn(actor);
  const { data } = await db().session.query.bySession({ sessionId }).go();
  const session = data[0];
  const notFound = new AppError("NOT_FOUND", "No such session.");
  if (!session || session.revokedAt) throw notFound;
  try {
    Policy.revokeSession(actor, session.userId);
  } catch {
    throw notFound;
  }
  await endSession(session.userId, sessionId, "auth.session_revoked");
});
