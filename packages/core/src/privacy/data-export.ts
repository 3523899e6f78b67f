import { readableAuditEvents } from "../audit/index.ts";
import { useActor } from "../context.ts";
import { Policy } from "../policy.ts";
import { UserRef } from "../user/user.schema.ts";
import { toUser } from "../user/user.view.ts";
import { loadLiveUser } from "../user/user.write.ts";
import { db } from "../store/service.ts";
import { validated } from "../validation.ts";
import type { DataExport } from "./privacy.schema.ts";

/** A copy of everything stored about the person (the user, an admin): profile, sessions, audit trail. */
export const dataExport = validated(UserRef, async ({ userId }): Promise<DataExport> => {
  Policy.editUser(useActor(), userId);
  const stored = await loadLiveUser(userId, { consistent: true });
  const [{ data: sessions }, { data: events }] = await Promise.all([
    db().session.query.byUser({ userId }).go({ pages: "all" }),
    db().auditEvent.query.byUser({ userId }).go({ pages: "all" }),
  ]);
  return {
    user: toUser(stored),
    sessions: sessions
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((s) => ({
        sessionId: s.sessionId,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        userAgent: s.userAgent ?? null,
        ip: s.ip ?? null,
        expiresAt: new Date(s.expiresAt * 1000).toISOString(),
        revokedAt: s.revokedAt ?? null,
      })),
    auditEvents: await readableAuditEvents(userId, events),
  };
});
