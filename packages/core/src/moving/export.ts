import type { Status, User } from "../user/user.schema.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { toUser } from "../user/user.view.ts";
import { NO_PASSWORD } from "./import-user.ts";

/** A user as `npm run export` writes it: the User, with its hash only when asked for. */
export type ExportedUser = User & { emailVerified?: boolean; passwordHash?: string };

export interface ExportOptions {
  /** Only users of this status; default every user but deleted ones. */
  status?: Status;
  includePasswordHashes?: boolean;
  /** Users read per query (default 500). */
  pageSize?: number;
}

/**
 * Every user, newest first, one page at a time through the list indexes: memory holds one page,
 * whatever the table's size.
 */
export async function* exportUsers(options: ExportOptions = {}): AsyncGenerator<ExportedUser> {
  const pageSize = options.pageSize ?? 500;
  let cursor: string | null = null;
  do {
    const query = options.status ? db().user.query.byStatus({ status: options.status }) : db().user.query.allUsers({});
    const page: { data: StoredUser[]; cursor: string | null } = await query.go({ cursor, limit: pageSize, order: "desc" });
    for (const stored of page.data) {
      yield {
        ...toUser(stored),
        ...(stored.emailVerified !== undefined ? { emailVerified: stored.emailVerified } : {}),
        ...(options.includePasswordHashes && stored.passwordHash !== NO_PASSWORD ? { passwordHash: stored.passwordHash } : {}),
      };
    }
    cursor = page.cursor;
  } while (cursor);
}
