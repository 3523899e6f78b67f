/**
 * Sharded user counts. Each user change adds its delta (by status and by role) to ONE of TALLY_SHARDS
 * tally items, picked at random, in the same transaction as the change; a read sums every shard with
 * strongly consistent reads. So counts are exact once a write has answered, and no single item takes
 * every write: at W tallied writes per second each shard takes about W / TALLY_SHARDS.
 */
import { Roles, Statuses } from "../user-vocabulary.ts";

export const TALLY_SHARDS = 10;

export type TallyField = `status_${(typeof Statuses)[number]}` | `role_${(typeof Roles)[number]}`;
export const TallyFields: readonly TallyField[] = [
  ...Statuses.map((status) => `status_${status}` as const),
  ...Roles.map((role) => `role_${role}` as const),
];

/** How a change moves the counts: +1 / -1 per field (absent: unchanged). */
export type TallyDelta = Partial<Record<TallyField, number>>;

/** The counts several changes move together (fields that sum to zero are left out). */
export function sumDeltas(deltas: readonly TallyDelta[]): TallyDelta {
  const sum: TallyDelta = {};
  for (const delta of deltas) {
    for (const [field, change] of Object.entries(delta) as [TallyField, number][]) sum[field] = (sum[field] ?? 0) + change;
  }
  return Object.fromEntries(Object.entries(sum).filter(([, change]) => change !== 0)) as TallyDelta;
}

export interface Tallied {
  status: string;
  roles: readonly string[];
}

/** What one user adds to the counts: one for its status; one per role while it is not deleted. */
export function contribution(user: Tallied | null): Partial<Record<TallyField, number>> {
  if (!user) return {};
  const counts: Partial<Record<TallyField, number>> = {};
  if ((Statuses as readonly string[]).includes(user.status)) counts[`status_${user.status}` as TallyField] = 1;
  if (user.status !== "deleted") {
    for (const role of new Set(user.roles)) {
      if ((Roles as readonly string[]).includes(role)) counts[`role_${role}` as TallyField] = 1;
    }
  }
  return counts;
}

/** The non-zero changes to the counts when `before` becomes `after` (null: absent or not yet counted). */
export function tallyDelta(before: Tallied | null, after: Tallied | null): TallyDelta {
  const from = contribution(before);
  const to = contribution(after);
  const delta: TallyDelta = {};
  for (const field of TallyFields) {
    const change = (to[field] ?? 0) - (from[field] ?? 0);
    if (change !== 0) delta[field] = change;
  }
  return delta;
}

export const randomTallyShard = (random: () => number = Math.random) => Math.floor(random() * TALLY_SHARDS);

export interface UserStats {
  /** Every user that is not deleted. */
  total: number;
  byStatus: Record<(typeof Statuses)[number], number>;
  byRole: Record<(typeof Roles)[number], number>;
}

/** Sums the shards read back (missing shards and fields count zero). */
export function sumShards(shards: readonly Partial<Record<TallyField, number>>[]): UserStats {
  const sum = (field: TallyField) => shards.reduce((total, shard) => total + (shard[field] ?? 0), 0);
  const byStatus = Object.fromEntries(Statuses.map((s) => [s, sum(`status_${s}`)])) as UserStats["byStatus"];
  const byRole = Object.fromEntries(Roles.map((r) => [r, sum(`role_${r}`)])) as UserStats["byRole"];
  return { total: byStatus.active + byStatus.suspended + byStatus.pending, byStatus, byRole };
}
