/**
 * `npm run simulate:scale [-- --users 100000 --operations 200000 --seed 7]`
 *
 * Replays a synthetic workload through the real key functions of the search terms, the tallies and the
 * list indexes, and reports the largest share of writes any one partition key value receives, for the
 * sharded design and for the unsharded one it replaces. The shares do not depend on the table size, so
 * they carry over to 10 million users; docs/scale.md turns them into WCU at 1,000 writes per second.
 *
 * Workload: users with Zipf-distributed first and last names (s = 1.07), emails `first.last<n>@…`, half
 * with a username; then a mix of sign-ins, profile edits, sign-ups, status and role changes and deletes.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { termChanges, type Indexable } from "../packages/core/src/search/search-terms.ts";
import { TALLY_SHARDS, tallyDelta } from "../packages/core/src/stats/tally.ts";
import { INDEX_SHARDS, indexShard } from "../packages/core/src/store/index-shards.ts";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    operations: { type: "string", default: "200000" },
    seed: { type: "string", default: "7" },
  },
});
const USERS = Number(values.users);
const OPERATIONS = Number(values.operations);

/** mulberry32: a small seeded generator, so runs are repeatable. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(values.seed));

function zipf(items: string[], s = 1.07) {
  const weights = items.map((_, k) => 1 / (k + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const w of weights) cumulative.push((running += w / total));
  return () => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

const FIRST = `james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph jessica thomas sarah charles karen christopher nancy daniel lisa matthew betty anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth dorothy kevin carol brian amanda george melissa timothy deborah ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy nicholas angela eric shirley jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen benjamin samantha samuel katherine gregory christine alexander debra frank rachel patrick carolyn raymond janet jack catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce henry virginia douglas victoria zachary kelly peter lauren kyle christina ethan joan walter evelyn noah judith jeremy megan christian andrea keith cheryl roger hannah terry jacqueline gerald martha harold gloria sean teresa austin ann carl sara arthur madison lawrence frances dylan kathryn jesse janice jordan jean bryan abigail billy alice joe judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn juan danielle wayne beverly elijah isabella randy theresa roy diana vincent natalie ralph brittany eugene charlotte russell marie bobby kayla mason alexis philip lori louis zoë ångström`.split(" ");
const LAST = `smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence sandoval`.split(" ");
const firstName = zipf(FIRST);
const lastName = zipf(LAST);
const domains = zipf(["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "example.com"]);

interface SimUser extends Indexable {
  roles: string[];
}

/** Writes per partition key value, by family. */
class Heat {
  private counts = new Map<string, Map<string, number>>();
  private totals = new Map<string, number>();
  add(family: string, key: string, n = 1) {
    const keys = this.counts.get(family) ?? new Map<string, number>();
    keys.set(key, (keys.get(key) ?? 0) + n);
    this.counts.set(family, keys);
    this.totals.set(family, (this.totals.get(family) ?? 0) + n);
  }
  report(operations: number) {
    return [...this.counts.entries()].map(([family, keys]) => {
      const [hottest, writes] = [...keys.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
      return {
        family,
        keyValues: keys.size,
        itemWrites: this.totals.get(family)!,
        hottestKey: hottest,
        /** Share of all item writes of the family that land on the hottest key value. */
        shareOfFamily: writes / this.totals.get(family)!,
        /** Item writes on the hottest key value per user operation: × operations/s = writes/s on it. */
        perOperation: writes / operations,
      };
    });
  }
}

const sharded = new Heat();
const unsharded = new Heat();
let counter = 0;

function newUser(): SimUser {
  const first = firstName();
  const last = lastName();
  counter += 1;
  return {
    userId: randomUUID(),
    email: `${first}.${last}${counter % 1000}@${domains()}`,
    username: random() < 0.5 ? `${first}_${last}${counter}` : null,
    firstName: first[0]!.toUpperCase() + first.slice(1),
    lastName: last[0]!.toUpperCase() + last.slice(1),
    status: "active",
    roles: ["customer"],
    createdAt: new Date(Date.UTC(2026, 0, 1) + counter * 1000).toISOString(),
  };
}

/** One user change: the item writes it causes, per key family, in both designs. */
function write(before: SimUser | null, after: SimUser, options: { signIn?: boolean } = {}) {
  if (!options.signIn) {
    const { remove, put } = termChanges(before, after);
    for (const term of [...remove, ...put]) sharded.add("search terms", term.partition);
    if (Object.keys(tallyDelta(before, after)).length > 0) {
      sharded.add("tallies", `tally#${Math.floor(random() * TALLY_SHARDS)}`);
      unsharded.add("tallies", "tally");
    }
  }
  // Index entries: the unsharded design projects every attribute, so any item write (a sign-in's
  // lastLoginAt too) rewrites them; the sharded one projects keys only, so only a key change writes.
  const shard = indexShard(after.userId);
  const keysChanged = !before || before.status !== after.status;
  for (const s of new Set([before?.status, after.status].filter(Boolean))) {
    unsharded.add("status index (gsi2)", `${s}`);
    if (keysChanged) sharded.add("status index (gsi2)", `${s}#${shard}`);
  }
  if (after.status !== "deleted" || before?.status !== "deleted") {
    unsharded.add("all-users index (gsi3)", "all");
    if (keysChanged && (before?.status === "deleted") !== (after.status === "deleted") || !before) {
      sharded.add("all-users index (gsi3)", `${shard}`);
    }
  }
}

const users: SimUser[] = [];
for (let i = 0; i < USERS; i++) {
  const user = newUser();
  users.push(user);
  write(null, user);
}
const createReport = { sharded: sharded.report(USERS), unsharded: unsharded.report(USERS) };

const mix = [
  { name: "sign-in", share: 0.6 },
  { name: "profile edit", share: 0.15 },
  { name: "sign-up", share: 0.15 },
  { name: "status change", share: 0.05 },
  { name: "role change", share: 0.02 },
  { name: "delete", share: 0.03 },
];
const live = () => {
  for (;;) {
    const user = users[Math.floor(random() * users.length)]!;
    if (user.status !== "deleted") return user;
  }
};
for (let i = 0; i < OPERATIONS; i++) {
  let r = random();
  const op = mix.find((m) => (r -= m.share) < 0)?.name ?? "sign-in";
  if (op === "sign-up") {
    const user = newUser();
    users.push(user);
    write(null, user);
    continue;
  }
  const before = live();
  const index = users.indexOf(before);
  let after: SimUser = before;
  if (op === "sign-in") write(before, before, { signIn: true });
  else {
    if (op === "profile edit") after = { ...before, lastName: lastName()[0]!.toUpperCase() + lastName().slice(1) };
    if (op === "status change") after = { ...before, status: before.status === "active" ? "suspended" : "active" };
    if (op === "role change") after = { ...before, roles: before.roles.includes("moderator") ? ["customer"] : ["customer", "moderator"] };
    if (op === "delete") after = { ...before, status: "deleted" };
    write(before, after);
    users[index] = after;
  }
}

const total = USERS + OPERATIONS;
const mixed = { sharded: sharded.report(total), unsharded: unsharded.report(total) };
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const print = (title: string, rows: ReturnType<Heat["report"]>) => {
  console.log(`\n${title}`);
  console.table(
    rows.map((row) => ({
      family: row.family,
      "key values": row.keyValues,
      "item writes": row.itemWrites,
      hottest: row.hottestKey,
      "share of family": pct(row.shareOfFamily),
      "writes/s on it at 1,000 ops/s": Math.round(row.perOperation * 1000),
    })),
  );
};
console.log(`${USERS} users created, then ${OPERATIONS} operations (${mix.map((m) => `${m.name} ${pct(m.share)}`).join(", ")}).`);
console.log(`Shards: terms ${8} per first character, tallies ${TALLY_SHARDS}, index ${INDEX_SHARDS} per status.`);
print("Sign-ups only (sharded design)", createReport.sharded);
print("Sign-ups only (unsharded design: gsi2 by status, gsi3 one key, one counter)", createReport.unsharded);
print("Whole run (sharded design)", mixed.sharded);
print("Whole run (unsharded design)", mixed.unsharded);
