import { listUserIds, toUser, usersInOrder, type Status, type User } from "../user/index.ts";
import { NO_PASSWORD } from "./import-user.ts";

/** A user as `npm run export` writes it: the User, with its hash only when asked for. */
export type ExportedUser = User & { emailVerified?: boolean; passwordHash?: string };

export interface ExportOptions {
  /** Only users of this status; default every user but deleted ones. */
  status?: Status;
  includePasswordHashes?: boolean;
  /** Users read per page (default and most 100: one BatchGetItem). */
  pageSize?: number;
}

/**
 * Every user, newest first, one page at a time through the sharded list indexes (keys only, then the
 * users read by id): memory holds one page, whatever the table's size.
 */
export async function* exportUsers(options: ExportOptions = {}): AsyncGenerator<ExportedUser> {
  const limit = Math.min(options.pageSize ?? 100, 100);
  let cursor: string | undefined;
  do {
    const page = await listUserIds({ status: options.status, limit, cursor });
    const users = await usersInOrder(page.items);
    for (const stored of users) {
      // The index is eventually consistent: the user as it is now decides.
      if (options.status ? stored.status !== options.status : stored.status === "deleted") continue;
      yield {
        ...toUser(stored),
        ...(stored.emailVerified !== undefined ? { emailVerified: stored.emailVerified } : {}),
        ...(options.includePasswordHashes && stored.passwordHash !== NO_PASSWORD ? { passwordHash: stored.passwordHash } : {}),
      };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
