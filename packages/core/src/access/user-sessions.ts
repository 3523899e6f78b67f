import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import { useActor } from "../context.ts";
import { userNotFound } from "../errors.ts";
import { Policy } from "../policy.ts";
import { db, type TransactionItem } from "../store/service.ts";
import { commitSteps, type Step } from "../store/transaction.ts";
import { UserRef } from "../user-vocabulary.ts";
import { validated } from "../validation.ts";
import type { SessionView } from "./access.schema.ts";
import { nowSeconds, openSessionEntry, parseSessionEntry, readAuthState } from "./auth-state.ts";

/** A user's open sessions, newest first; `current` marks the caller's own. */
export async function openSessionsOf(userId: string, currentSessionId: string | undefined): Promise<SessionView[]> {
  const [{ data: items }, state] = await Promise.all([
    db().session.query.byUser({ userId }).go({ pages: "all" }),
    readAuthState(userId),
  ]);
  const now = nowSeconds();
  return items
    .filter((s) => !s.revokedAt && openSessionEntry(state?.sessions, s.sessionId, now))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((s) => ({ ...sessionFacts(s), current: s.sessionId === currentSessionId }));
}

type SessionItem = { sessionId: string; createdAt: string; lastUsedAt: string; userAgent?: string; ip?: string };

/** What a session item says about the person, as every view of it shows it. */
const sessionFacts = (s: SessionItem) => ({
  sessionId: s.sessionId,
  createdAt: s.createdAt,
  lastUsedAt: s.lastUsedAt,
  userAgent: s.userAgent ?? null,
  ip: s.ip ?? null,
});

/** Every session the user has had, oldest first, ended ones too (the data-subject export). */
export async function sessionRecordsOf(userId: string) {
  const { data } = await db().session.query.byUser({ userId }).go({ pages: "all" });
  return data
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((s) => ({ ...sessionFacts(s), expiresAt: new Date(s.expiresAt * 1000).toISOString(), revokedAt: s.revokedAt ?? null }));
}

/** The user themself or an admin; a missing or deleted user is 404 (after the permission check). */
async function authorize(userId: string) {
  const actor = useActor();
  Policy.revokeSession(actor, userId);
  const { data } = await db().user.get({ userId }).go();
  if (!data || data.status === "deleted") throw userNotFound();
  return actor;
}

/** GET /v1/users/{userId}/sessions. */
export const userSessions = validated(UserRef, async ({ userId }): Promise<{ items: SessionView[] }> => {
  const actor = await authorize(userId);
  return { items: await openSessionsOf(userId, actor.kind === "user" ? actor.sessionId : undefined) };
});

/**
 * DELETE /v1/users/{userId}/sessions: every session of the user ends at once (its auth-state entries go,
 * so every token of them stops working on the next request), recorded as `auth.sessions_revoked`.
 */
export const revokeUserSessions = validated(UserRef, async ({ userId }): Promise<void> => {
  await authorize(userId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = await readAuthState(userId);
    const entries = [...(state?.sessions ?? [])];
    const open = entries.filter((entry) => parseSessionEntry(entry).expiresAt > nowSeconds());
    const event = await sealAuditEvent(auditEvent("auth.sessions_revoked", userId, { sessions: { from: open.length, to: 0 } }));
    const revokedAt = new Date().toISOString();
    const steps: Step[] = [
      ...(entries.length > 0
        ? [{ item: (e) => e.authState.update({ userId }).delete({ sessions: entries }).commit(), whenConditionFails: "stale" } satisfies Step]
        : []),
      ...open.map(
        (entry): Step => ({
          item: (e) =>
            e.session
              .patch({ userId, sessionId: parseSessionEntry(entry).sessionId })
              .set({ revokedAt })
              .commit() as TransactionItem,
          whenConditionFails: "stale",
        }),
      ),
      { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
    ];
    const outcome = await commitSteps(steps);
    if (outcome === "committed") return;
    if (typeof outcome === "object") throw outcome;
  }
  throw new Error("Ending the sessions kept conflicting with concurrent sign-ins");
});
