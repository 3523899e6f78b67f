import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";

/** The users of `ids`, in that order, read strongly consistently (one BatchGetItem; at most 100). */
export async function usersInOrder(ids: string[]): Promise<StoredUser[]> {
  if (ids.length === 0) return [];
  const { data, unprocessed } = await db().user.get(ids.map((userId) => ({ userId }))).go({ consistent: true });
  const more = unprocessed.length > 0 ? (await db().user.get(unprocessed).go({ consistent: true })).data : [];
  const byId = new Map([...data, ...more].map((user) => [user.userId, user]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
