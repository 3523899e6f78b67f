import { setTimeout as sleep } from "node:timers/promises";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import type { AuditChanges, AuditEventType } from "../audit/index.ts";
import { authStateStep } from "../access/index.ts";
import { newUserDataKey, rememberUserDataKey } from "../keys/index.ts";
import { AppError, userNotFound, versionMismatch } from "../errors.ts";
import { adminTallyKey } from "../store/entities/admin-tally.entity.ts";
import type { ClaimKind } from "../store/entities/claim.entity.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { getByUserId } from "../store/user-keyed-get.ts";
import { commitSteps, type Step } from "../store/transaction.ts";
import { isActiveAdmin } from "./user.view.ts";
import { termDeletes, termWrites } from "../search/index.ts";
import { tallyDelta, tallyWrite, tallyWrites, type TallyDelta } from "../stats/index.ts";
import { indexShard } from "../store/index-shards.ts";

/** What one change to a user does: the whole new item and the event that records it. */
export interface UserChange {
  next: StoredUser;
  event: { type: AuditEventType; changes: AuditChanges; reason?: string };
  /** The open sessions left afterwards (auth-state entries to keep; `[]` ends all); absent keeps them. */
  sessionsAfter?: string[];
  /** Steps of another domain written in the same transaction (the MFA factor). */
  alongside?: Step[];
}

/** Lost races are retried at least this many times, and for at least this long (contention is transient). */
const MIN_ATTEMPTS = 8;
const RACE_BUDGET_MS = 10_000;

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

/** The counters a change moves, which every user shares: applied as one step each per transaction. */
export interface CounterMoves {
  tally: TallyDelta;
  activeAdmins: number;
}

/**
 * The steps that apply counter moves (of one change or several summed): one ADD on a random tally shard,
 * and the active-admin count, which never goes below one (LAST_ADMIN).
 */
export function counterSteps({ tally, activeAdmins }: CounterMoves): Step[] {
  const steps: Step[] = tallyWrite(tally).map((item) => ({ item, whenConditionFails: "stale" }));
  if (activeAdmins > 0) {
    steps.push({ item: (e) => e.adminTally.update(adminTallyKey).add({ activeAdmins }).commit(), whenConditionFails: "stale" });
  }
  if (activeAdmins < 0) {
    steps.push({
      item: (e) =>
        e.adminTally
          .update(adminTallyKey)
          .subtract({ activeAdmins: -activeAdmins })
          .where((attributes, { gt }) => gt(attributes.activeAdmins, -activeAdmins))
          .commit(),
      whenConditionFails: new AppError("LAST_ADMIN", "This is the last active admin: it cannot be demoted, suspended, deleted or erased."),
    });
  }
  return steps;
}

/** The version of the derived items (search terms, counts) a stored user's `indexVersion` vouches for. */
export const INDEX_VERSION = 1;

/** An erased user's derived items: its search terms go, and it leaves every count. */
export function derivedRemovalSteps(before: StoredUser): Step[] {
  if (before.indexVersion !== INDEX_VERSION) return [];
  return [...termDeletes(before), ...tallyWrites(before, null)].map((item) => ({ item, whenConditionFails: "stale" }));
}

/**
 * The user's items in an erasure transaction: the user item (at the version read), its claims while it
 * is live, its share of the active-admin count (never the last one: LAST_ADMIN), and its derived items.
 */
export function erasureSteps(user: StoredUser): Step[] {
  const { userId } = user;
  const steps: Step[] = [
    { item: (e) => e.user.delete({ userId }).where(({ version }, { eq }) => eq(version, user.version)).commit(), whenConditionFails: "stale" },
    // Its claims are released as a deletion releases them (none left when it is already deleted).
    ...claimSteps(user, { ...user, status: "deleted" }),
  ];
  // Its terms and tally counts go with derivedRemovalSteps; the active-admin count moves here.
  return [...steps, ...counterSteps({ tally: {}, activeAdmins: isActiveAdmin(user) ? -1 : 0 }), ...derivedRemovalSteps(user)];
}

/** A change as transaction steps: the user's own items, and the shared counters it moves. */
export interface PreparedChange {
  next: StoredUser;
  steps: Step[];
  counters: CounterMoves;
  /** To call once the transaction committed. */
  committed: () => void;
}

/**
 * The items of one change: the user (conditional on its version), its claims, auth state, audit event,
 * a new user's data key, and its search terms (a user stored before search existed has none and counts
 * as new to the counts; the backfill does the same for users nobody writes).
 */
export async function prepareChange(before: StoredUser | null, change: UserChange): Promise<PreparedChange> {
  const next: StoredUser = { ...change.next, indexVersion: INDEX_VERSION, indexShard: indexShard(change.next.userId) };
  const indexed = before?.indexVersion === INDEX_VERSION ? before : null;
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
    authStateStep(next, { created: before === null, sessionsAfter: change.sessionsAfter }),
    ...(change.alongside ?? []),
    ...(newKey ? [{ item: (e) => e.dataKey.create(newKey.item).commit(), whenConditionFails: "stale" } satisfies Step] : []),
    { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
    ...termWrites(indexed, next).map((item): Step => ({ item, whenConditionFails: "stale" })),
  ];
  return {
    next,
    steps,
    counters: {
      tally: tallyDelta(indexed, next),
      activeAdmins: Number(isActiveAdmin(next)) - Number(before ? isActiveAdmin(before) : false),
    },
    committed: () => {
      if (newKey) rememberUserDataKey(next.userId, newKey.key);
    },
  };
}

/** Writes one change and the counters it moves in one transaction. */
async function commit(before: StoredUser | null, change: UserChange): Promise<"committed" | "stale" | AppError> {
  const prepared = await prepareChange(before, change);
  const result = await commitSteps([...prepared.steps, ...counterSteps(prepared.counters)], { subject: prepared.next.userId });
  if (result === "committed") prepared.committed();
  return result;
}

/** Jittered exponential backoff between attempts that lost a race. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));

/**
 * Runs `attempt` until it settles: again (after a backoff) each time it lost a race, within the budget.
 * Still losing after that is a transient overload of these items, answered as retryable (503).
 */
export async function untilSettled<T>(attempt: () => Promise<T | "stale">): Promise<T> {
  const started = Date.now();
  for (let n = 0; n < MIN_ATTEMPTS || Date.now() - started < RACE_BUDGET_MS; n++) {
    const result = await attempt();
    if (result !== "stale") return result;
    await backoff(n);
  }
  throw new AppError("STORE_UNAVAILABLE", "Too many concurrent writes to this user; retry shortly.", { retryAfterSeconds: 1 });
}

/**
 * After a lost race, a unique value the change would take that another user now holds is the answer:
 * the losers of a race for one email learn it at once instead of retrying against the winner.
 */
async function heldByAnother(before: StoredUser | null, next: StoredUser): Promise<AppError | null> {
  for (const kind of ["email", "username"] as const satisfies ClaimKind[]) {
    const to = next.status !== "deleted" ? next[kind] : undefined;
    if (to === undefined || (before && before.status !== "deleted" && before[kind] === to)) continue;
    const { data } = await db().claim.get({ kind, value: to }).go({ consistent: true });
    if (data && data.userId !== next.userId) return taken[kind]();
  }
  return null;
}

/** Settles one commit: committed, or stale (retry), or a domain error (thrown) — including a value now held. */
async function settle(before: StoredUser | null, change: UserChange): Promise<"committed" | "stale"> {
  const result = await commit(before, change);
  if (result === "committed") return result;
  if (result !== "stale") throw result;
  const held = await heldByAnother(before, change.next);
  if (held) throw held;
  return "stale";
}

/** Stores a new user with its claims and its `user.created` event. */
export async function insertUser(build: () => UserChange): Promise<StoredUser> {
  return untilSettled(async () => {
    const change = build();
    return (await settle(null, change)) === "committed" ? change.next : "stale";
  });
}

/** The stored user unless it does not exist or is deleted (both 404). */
export async function loadLiveUser(userId: string, options: { consistent?: boolean } = {}): Promise<StoredUser> {
  // Most reads of a user come here: without ElectroDB's per-call request building (see readAuthState).
  const data = await getByUserId<StoredUser>(db().user, userId, options.consistent ?? false);
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
  return untilSettled(async () => {
    const current = await loadLiveUser(userId, { consistent: true });
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw versionMismatch(current.version);
    const change = await decide(current);
    if (!change) return current;
    return (await settle(current, change)) === "committed" ? change.next : "stale";
  });
}

/** The next item for a change: same user, version + 1, updated now. */
export function nextVersion(current: StoredUser, fields: Partial<StoredUser>): StoredUser {
  return { ...current, ...fields, version: current.version + 1, updatedAt: new Date().toISOString() };
}
