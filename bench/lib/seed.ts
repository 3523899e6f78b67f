/**
 * Test data. Users the scenarios sign in as are made by the domain (`User.create` with a system actor,
 * as the first-admin tool does), so they have their claims, auth state and audit event. The bulk of the
 * list-scaling table is written with BatchWriteItem: real user items built by the ElectroDB entity
 * (`db().user.put(item).params()`), so every index key (gsi1 email, gsi2 status, gsi3 all users) is set.
 */
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { User, withContext } from "@users/core";
import { inThreadHasher } from "@users/core/access/password-hasher";
import { dynamo } from "@users/core/store/client";
import { db } from "@users/core/store/service";
import { indexShard } from "@users/core/store/index-shards";
import { termItems } from "@users/core/search/search-terms";

export interface SeededUser {
  userId: string;
  email: string;
  password: string;
}

const PASSWORD = "correct horse battery";

/** `count` users made through `User.create`, `parallel` at a time. */
export async function seedUsers(count: number, options: { roles?: User.Role[]; tag: string; parallel?: number }): Promise<SeededUser[]> {
  const out: SeededUser[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.parallel ?? 8 }, async () => {
      while (next < count) {
        const i = next++;
        const email = `bench.${options.tag}.${i}.${Date.now().toString(36)}@example.com`;
        const user = await withContext({ actor: { kind: "system", name: "bench" } }, () =>
          User.create({ email, password: PASSWORD, firstName: "Bench", lastName: `User ${i}`, roles: options.roles ?? ["customer"], status: "active" }),
        );
        out.push({ userId: user.userId, email, password: PASSWORD });
      }
    }),
  );
  return out;
}

/** Gives seeded users their password hashed at `rounds`: one hash for all, so cost 12 seeds quickly. */
export async function rehashPasswords(users: SeededUser[], rounds: number): Promise<void> {
  const passwordHash = await inThreadHasher.hash(PASSWORD, rounds);
  await Promise.all(users.map((u) => db().user.patch({ userId: u.userId }).set({ passwordHash }).go()));
}

/** A bulk user: what the list pages read (createdAt unique, so positions are exact). */
export interface BulkUser {
  userId: string;
  status: "active" | "suspended";
  createdAt: string;
}

const BASE = Date.parse("2015-01-01T00:00:00.000Z");
/** A fixed bcrypt-shaped hash: bulk users never sign in. */
const HASH = "$2b$04$abcdefghijklmnopqrstuuMYWzCBQ3H8tD4nuDOyD7oqUVz2PNfwe";

function bulkItem(i: number): { items: Record<string, unknown>[]; user: BulkUser } {
  const createdAt = new Date(BASE + i * 1000).toISOString();
  const userId = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const status = i % 10 === 9 ? "suspended" : "active";
  const stored = {
    userId,
    email: `bulk.${i}@example.com`,
    firstName: "Bulk",
    lastName: `User ${i}`,
    status,
    roles: ["customer"],
    contacts: [{ contactId: `10000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`, type: "PHONE", value: `+1555${String(i).padStart(7, "0")}` }],
    metadata: { plan: "free", seq: i },
    passwordHash: HASH,
    version: 1,
    createdAt,
    updatedAt: createdAt,
    indexVersion: 1,
    indexShard: indexShard(userId),
  } as const;
  const params = db().user.put(stored as never).params() as { Item: Record<string, unknown> };
  // Its search terms too, so the search scenario reads a table of this size.
  const terms = termItems(stored).map((term) => (db().term.put(term).params() as { Item: Record<string, unknown> }).Item);
  return { items: [params.Item, ...terms], user: { userId, status, createdAt } };
}

/** Writes bulk users `from` ≤ i < `to` with BatchWriteItem (25 per call, `parallel` calls at once). */
export async function bulkUsers(tableName: string, from: number, to: number, parallel = 6, onProgress?: (done: number) => void) {
  const users: BulkUser[] = [];
  let next = from;
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < to) {
        const start = next;
        const end = Math.min(to, next + 4);
        next = end;
        const batch = [];
        for (let i = start; i < end; i++) {
          const { items, user } = bulkItem(i);
          batch.push(...items.map((item) => ({ PutRequest: { Item: item } })));
          users.push(user);
        }
        for (let chunk = 0; chunk < batch.length; chunk += 25) {
          let requests: unknown[] = batch.slice(chunk, chunk + 25);
          for (let attempt = 0; requests.length > 0; attempt++) {
            const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName]: requests as never } }));
            requests = result.UnprocessedItems?.[tableName] ?? [];
            if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
          }
        }
        done += end - start;
        onProgress?.(done);
      }
    }),
  );
  return users;
}
