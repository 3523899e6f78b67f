import { sessionRecordsOf } from "../access/index.ts";
import { readableAuditEvents } from "../audit/index.ts";
import { useActor } from "../context.ts";
import { Policy } from "../policy.ts";
import { loadLiveUser, toUser, UserRef } from "../user/index.ts";
import { db } from "../store/service.ts";
import { validated } from "../validation.ts";
import type { DataExport } from "./privacy.schema.ts";

/** A copy of everything stored about the person (the user, an admin): profile, sessions, audit trail. */
export const dataExport = validated(UserRef, async ({ userId }): Promise<DataExport> => {
  Policy.handlePersonalData(useActor(), userId);
  const stored = await loadLiveUser(userId, { consistent: true });
  const [sessions, { data: events }] = await Promise.all([
    sessionRecordsOf(userId),
    db().auditEvent.query.byUser({ userId }).go({ pages: "all" }),
  ]);
  return {
    user: toUser(stored),
    sessions,
    auditEvents: await readableAuditEvents(userId, events),
  };
});
