import { setTimeout as sleep } from "node:timers/promises";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import type { AuditChanges, AuditEventType } from "../audit/index.ts";
import { authStateStep } from "../access/index.ts";
import { newUserDataKey, rememberUserDataKey } from "../privacy/user-data-key.ts";
import { AppError, userNotFound, versionMismatch } from "../errors.ts";
import { adminTallyKey } from "../store/entities/admin-tally.entity.ts";
import type { ClaimKind } from "../store/entities/claim.entity.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { commitSteps, type Step } from "../store/transaction.ts";
import { isActiveAdmin } from "./user.view.ts";

/** What one change to a user does: the whole new item and the event that records it. */
export interface UserChange {
  next: StoredUser;
  event: { type: AuditEventType; changes: AuditChanges; reason?: string };
  /** The open sessions left afterwards (auth-state entries to keep; `[]` ends all); absent keeps them. */
  sessionsAfter?: string[];
  /** Steps of another domain written in the same transaction (the MFA factor). */
  alongside?: Step[];
}

const MAX_ATTEMPTS = 8;

const taken = {
  email: () => new AppError("EMAIL_TAKEN", "A user with this email already exists."),
  username: () => new AppError("USERNAME_TAKEN", "A user with this username already exists."),
};

/** Claims to release and take so that the unique values of `before` become those of `after`. */
function claimSteps(before: StoredUser | null, after: StoredUser): Step[] {
  const steps: Step[] = [];
  const now = after.updatedAt;
  for (const kind of ["email", "username"] as const satisfies ClaimKind[]) {
    const from = before && before.status !== "deleted" ? before[kind] : undefined;
    const to = after.status !== "deleted" ? after[kind] : undefined;
    if (from === to) continue;
    if (from !== undefined) {
      steps.push({
        item: (e) =>
          e.claim
            .delete({ kind, value: from })
            .where(({ userId }, { eq }) => eq(userId, after.userId))
            .commit(),
        whenConditionFails: "stale",
      });
    }
    if (to !== undefined) {
      steps.push({
        item: (e) =>
          e.claim.create({ kind, value: to, userId: after.userId, claimedAt: now }).commit(),
        whenConditionFails: taken[kind](),
      });
    }
  }
  return steps;
}

/** Keeps the active-admin count true; refuses to take the last one away. */
function adminTallySteps(before: StoredUser | null, after: StoredUser): Step[] {
  const delta = Number(isActiveAdmin(after)) - Number(before ? isActiveAdmin(before) : false);
  if (delta > 0) {
    return [
      {
        item: (e) => e.adminTally.update(adminTallyKey).add({ activeAdmins: 1 }).commit(),
        whenConditionFails: "stale",
      },
    ];
  }
  if (delta < 0) {
    return [
      {
        item: (e) =>
          e.adminTally
            .update(adminTallyKey)
            .subtract({ activeAdmins: 1 })
            .where(({ activeAdmins }, { gt }) => gt(activeAdmins, 1))
            .commit(),
        whenConditionFails: new AppError("LAST_ADMIN", "This is the last active admin: it cannot be demoted, suspended or deleted."),
      },
    ];
  }
  return [];
}

/** Writes the user, its claims, the admin tally, its auth state and the audit event in one transaction. */
async function commit(before: StoredUser | null, change: UserChange): Promise<"committed" | "stale" | AppError> {
  const { next } = change;
  // A new user gets its data key in the same transaction; a change seals with the stored one.
  const newKey = before ? null : await newUserDataKey(next.userId);
  const event = await sealAuditEvent(
    auditEvent(change.event.type, next.userId, change.event.changes, { reason: change.event.reason, occurredAt: next.updatedAt }),
    newKey?.key,
  );
  const userStep: Step = before
    ? {
        item: (e) =>
          e.user
            .put(next)
            .where(({ version }, { eq }) => eq(version, before.version))
            .commit(),
        whenConditionFails: "stale",
      }
    : { item: (e) => e.user.create(next).commit(), whenConditionFails: "stale" };
  const steps: Step[] = [
    userStep,
    ...claimSteps(before, next),
    ...adminTallySteps(before, next),
    authStateStep(next, { created: before === null, sessionsAfter: change.sessionsAfter }),
    ...(change.alongside ?? []),
    ...(newKey ? [{ item: (e) => e.dataKey.create(newKey.item).commit(), whenConditionFails: "stale" } satisfies Step] : []),
    { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
  ];
  const result = await commitSteps(steps, { subject: next.userId });
  if (result === "committed" && newKey) rememberUserDataKey(next.userId, newKey.key);
  return result;
}

/** Jittered exponential backoff between attempts that lost a race. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));

/** Stores a new user with its claims and its `user.created` event. */
export async function insertUser(build: () => UserChange): Promise<StoredUser> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const change = build();
    const result = await commit(null, change);
    if (result === "committed") return change.next;
    if (result !== "stale") throw result;
    await backoff(attempt);
  }
  throw new Error("Creating the user kept conflicting with concurrent writes");
}

/** The stored user unless it does not exist or is deleted (both 404). */
export async function loadLiveUser(userId: string, options: { consistent?: boolean } = {}): Promise<StoredUser> {
  const { data } = await db().user.get({ userId }).go({ consistent: options.consistent ?? false });
  if (!data || data.status === "deleted") throw userNotFound();
  return data;
}

/**
 * Read-decide-write on one user with optimistic concurrency. With `expectedVersion`, a stored version
 * that differs is VERSION_MISMATCH; without it the change applies to the current version, re-read and
 * re-decided if someone else wrote in between. `decide` returns null for a change that changes nothing.
 */
export async function changeUser(
  userId: string,
  expectedVersion: number | undefined,
  decide: (current: StoredUser) => UserChange | null | Promise<UserChange | null>,
): Promise<StoredUser> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await loadLiveUser(userId, { consistent: true });
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw versionMismatch(current.version);
    const change = await decide(current);
    if (!change) return current;
    const result = await commit(current, change);
    if (result === "committed") return change.next;
    if (result !== "stale") throw result;
    await backoff(attempt);
  }
  throw new Error("Changing the user kept conflicting with concurrent writes");
}

/** The next item for a change: same user, version + 1, updated now. */
export function nextVersion(current: StoredUser, fields: Partial<StoredUser>): StoredUser {
  return { ...current, ...fields, version: current.version + 1, updatedAt: new Date().toISOString() };
}
