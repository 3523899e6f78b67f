import { dataKeyProvider } from "./configured-provider.ts";
import { db } from "../store/service.ts";
import type { Step } from "../store/transaction.ts";

/** What a user's wrapped data key is bound to (the KMS encryption context). */
const keyContext = (userId: string) => ({ purpose: "user-personal-data", userId });

/**
 * Unwrapped keys, kept briefly so a burst of writes for one user costs one unwrap (one KMS call). An
 * erasure in another process is seen once the entry ages out; erasing in this process drops it at once.
 */
const CACHE_MS = 60_000;
const CACHE_SIZE = 5_000;
const cache = new Map<string, { key: Buffer; until: number }>();

function remember(userId: string, key: Buffer): Buffer {
  cache.delete(userId);
  cache.set(userId, { key, until: Date.now() + CACHE_MS });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return key;
}

/** A fresh key for a new user: the key, and the item to store in the same transaction as the user. */
export async function newUserDataKey(userId: string): Promise<{ key: Buffer; item: { userId: string; wrapped: string; createdAt: string } }> {
  const { plaintext, wrapped } = await dataKeyProvider().generateDataKey(keyContext(userId));
  return { key: plaintext, item: { userId, wrapped, createdAt: new Date().toISOString() } };
}

/** Call after the transaction that stored a new key committed. */
export const rememberUserDataKey = remember;

/**
 * The user's data key. Without one stored: null, or with `create` a new one (users from before
 * encryption existed). After an erasure there is none, and none is made for reading.
 */
export async function userDataKey(userId: string, options: { create: boolean }): Promise<Buffer | null> {
  const cached = cache.get(userId);
  if (cached && cached.until > Date.now()) return cached.key;
  for (let attempt = 0; attempt < 3; attempt++) {
    const { data } = await db().dataKey.get({ userId }).go({ consistent: true });
    if (data) return remember(userId, await dataKeyProvider().unwrapDataKey(data.wrapped, keyContext(userId)));
    if (!options.create) return null;
    const fresh = await newUserDataKey(userId);
    const created = await db().dataKey.create(fresh.item)
      .go()
      .then(() => true)
      .catch((error: { cause?: { name?: string } }) => {
        if (error.cause?.name === "ConditionalCheckFailedException") return false;
        throw error;
      });
    if (created) return remember(userId, fresh.key);
    // Someone stored one first: read theirs.
  }
  throw new Error(`Could not read or create the data key of user ${userId}`);
}

/** Erasure: the write that destroys the user's wrapped key, for the erasure's transaction. */
export const dataKeyRemovalStep = (userId: string): Step => ({
  item: (e) => e.dataKey.delete({ userId }).commit(),
  whenConditionFails: "stale",
});

/** Erasure: this process forgets the key at once (the item is deleted by `dataKeyRemovalStep`). */
export function forgetUserDataKey(userId: string): void {
  cache.delete(userId);
}
