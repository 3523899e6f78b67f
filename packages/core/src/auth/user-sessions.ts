import { auditEvent, putAuditEvent } from "../audit/audit.record.ts";
import { useActor } from "../context.ts";
import type { TransactionItem } from "../dynamo/service.ts";
import { writeTransaction } from "../dynamo/transaction.ts";
import { userNotFound } from "../errors.ts";
import { Policy } from "../policy.ts";
import { UserEntity } from "../user/user.entity.ts";
import { UserRef } from "../user/user.schema.ts";
import { fn } from "../validation.ts";
import type { SessionView } from "./auth.schema.ts";
import { AuthStateEntity, openSessionEntry, parseSessionEntry } from "./auth-state.entity.ts";
import { SessionEntity } from "./session.entity.ts";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A user's open sessions, newest first; `current` marks the caller's own. */
export async function openSessionsOf(userId: string, currentSessionId: string | undefined): Promise<SessionView[]> {
  const [{ data: items }, { data: state }] = await Promise.all([
    SessionEntity.query.byUser({ userId }).go({ pages: "all" }),
    AuthStateEntity.get({ userId }).go({ consistent: true }),
  ]);
  const now = nowSeconds();
  return items
    .filter((s) => !s.revokedAt && openSessionEntry(state?.sessions, s.sessionId, now))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((s) => ({
      sessionId: s.sessionId,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      userAgent: s.userAgent ?? null,
      ip: s.ip ?? null,
      current: s.sessionId === currentSessionId,
    }));
}

/** The user themself or an admin; a missing or deleted user is 404 (after the permission check). */
async function authorize(userId: string) {
  const actor = useActor();
  Policy.revokeSession(actor, userId);
  const { data } = await UserEntity.get({ userId }).go();
  if (!data || data.status === "deleted") throw userNotFound();
  return actor;
}

/** GET /v1/users/{userId}/sessions. */
export const userSessions = fn(UserRef, async ({ userId }): Promise<{ items: SessionView[] }> => {
  const actor = await authorize(userId);
  return { items: await openSessionsOf(userId, actor.kind === "user" ? actor.sessionId : undefined) };
});

/**
 * DELETE /v1/users/{userId}/sessions: every session of the user ends at once (its auth-state entries go,
 * so every token of them stops working on the next request), recorded as `auth.sessions_revoked`.
 */
export const revokeUserSessions = fn(UserRef, async ({ userId }): Promise<void> => {
  await authorize(userId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const { data: state } = await AuthStateEntity.get({ userId }).go({ consistent: true });
    const entries = [...(state?.sessions ?? [])];
    const open = entries.filter((entry) => parseSessionEntry(entry).expiresAt > nowSeconds());
    const event = auditEvent("auth.sessions_revoked", userId, { sessions: { from: open.length, to: 0 } });
    const revokedAt = new Date().toISOString();
    const outcome = await writeTransaction((e) => [
      ...(entries.length > 0
        ? [
            e.authState
              .update({ userId })
              .delete({ sessions: entries })
              .commit(),
          ]
        : []),
      ...open.map(
        (entry) =>
          e.session
            .patch({ userId, sessionId: parseSessionEntry(entry).sessionId })
            .set({ revokedAt })
            .commit() as TransactionItem,
      ),
      putAuditEvent(e, event),
    ]);
    if (outcome.committed) return;
  }
  throw new Error("Ending the sessions kept conflicting with concurrent sign-ins");
});
