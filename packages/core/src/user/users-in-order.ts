import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { getManyByUserId } from "../store/user-keyed-get.ts";

/** The users of `ids`, in that order, read strongly consistently (one BatchGetItem per 100). */
export async function usersInOrder(ids: string[]): Promise<StoredUser[]> {
  const users = await getManyByUserId<StoredUser>(db().user, ids, true);
  const byId = new Map(users.map((user) => [user.userId, user]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
