import type { AppError } from "../errors.ts";
import { searchWords } from "../search/index.ts";
import { sumDeltas } from "../stats/index.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { writeTransaction, type Step } from "../store/transaction.ts";
import { counterSteps, prepareChange, untilSettled, type UserChange } from "./user.write.ts";

/**
 * New users written several to a transaction (bulk import). DynamoDB Local commits about as many
 * transactions per second whatever their size, so grouping multiplies an import's rate there; DynamoDB
 * itself charges per item either way. Each user keeps every item and condition it has alone (its claims,
 * data key, audit event, terms); the counters they move are summed into one step each, since a
 * transaction may touch an item only once. A user whose condition fails (a taken email) gets that error,
 * and the others are written without it.
 */

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** The counter steps a group adds (tally shard, active admins). */
const SHARED_ITEMS = 2;

/** The items one new user takes: user, auth state, data key, audit event, its claims and its terms. */
function itemsOf(user: StoredUser): number {
  return 4 + 1 + (user.username ? 1 : 0) + searchWords(user).length;
}

const claimKeys = (user: StoredUser) => [`email:${user.email}`, ...(user.username ? [`username:${user.username}`] : [])];

/**
 * Splits the new users into transactions that fit DynamoDB's item limit, with no unique value twice in
 * one transaction (two claims of one item would make DynamoDB refuse the whole transaction).
 */
function groupsOf(users: StoredUser[]): number[][] {
  const groups: { members: number[]; items: number; claims: Set<string> }[] = [];
  users.forEach((user, index) => {
    const items = itemsOf(user);
    const claims = claimKeys(user);
    let group = groups.find(
      (g) => g.items + items + SHARED_ITEMS <= MAX_TRANSACTION_ITEMS && claims.every((claim) => !g.claims.has(claim)),
    );
    if (!group) {
      group = { members: [], items: 0, claims: new Set() };
      groups.push(group);
    }
    group.members.push(index);
    group.items += items;
    for (const claim of claims) group.claims.add(claim);
  });
  return groups.map((group) => group.members);
}

/** One group's transaction, retried while it loses races, less each user whose own condition failed. */
async function insertGroup(builds: (() => UserChange)[], results: (StoredUser | AppError)[], members: number[]): Promise<void> {
  let pending = members;
  await untilSettled(async () => {
    const prepared = await Promise.all(pending.map((index) => prepareChange(null, builds[index]!())));
    const steps: Step[] = [];
    const owners: number[] = [];
    prepared.forEach((change, position) => {
      for (const step of change.steps) {
        steps.push(step);
        owners.push(position);
      }
    });
    steps.push(
      ...counterSteps({
        tally: sumDeltas(prepared.map((change) => change.counters.tally)),
        activeAdmins: prepared.reduce((sum, change) => sum + change.counters.activeAdmins, 0),
      }),
    );
    const outcome = await writeTransaction((entities) => steps.map((step) => step.item(entities)));
    if (outcome.committed) {
      prepared.forEach((change, position) => {
        change.committed();
        results[pending[position]!] = change.next;
      });
      return "done";
    }
    if (outcome.conflict) return "stale";
    const refused = new Set<number>();
    for (const index of outcome.failedConditions) {
      const failure = steps[index]!.whenConditionFails;
      const owner = owners[index];
      // A user's first failed condition is its answer (the email's before the username's), as alone.
      if (failure === "stale" || owner === undefined || refused.has(owner)) continue;
      results[pending[owner]!] = failure;
      refused.add(owner);
    }
    pending = pending.filter((_, position) => !refused.has(position));
    return pending.length === 0 ? "done" : "stale";
  });
}

/**
 * Stores new users, each with everything `insertUser` writes for one, in as few transactions as fit:
 * per user, the stored user or the domain error that refused it (EMAIL_TAKEN, USERNAME_TAKEN). A store
 * failure is thrown: any of the users may then have been written or not.
 */
export async function insertUsers(builds: (() => UserChange)[]): Promise<(StoredUser | AppError)[]> {
  const results: (StoredUser | AppError)[] = new Array(builds.length);
  const firstDraft = builds.map((build) => build().next);
  await Promise.all(groupsOf(firstDraft).map((members) => insertGroup(builds, results, members)));
  return results;
}
