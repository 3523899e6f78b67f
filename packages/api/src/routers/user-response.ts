import { AppError, User, withContext } from "@users/core";
import * as z from "zod";
import type { Context } from "../context.ts";

/** The headers of a single-user REST response. */
export const UserHeaders = z.object({ ETag: z.string().meta({ description: 'The user\'s version: `"3"`.' }) });

/** A single-user REST response carries the version as its ETag. */
export function withETag(ctx: Context, user: User.User): User.User {
  ctx.response.headers.ETag = `"${user.version}"`;
  return user;
}

/**
 * The user a committed change left, for a retry whose first answer was lost (read as the system: the
 * idempotency record is the caller's own, so this is the caller's own change).
 */
export async function committedUser(userId: string | undefined): Promise<User.User> {
  if (!userId) throw new AppError("INTERNAL", "An idempotency record names no user.");
  return withContext({ actor: { kind: "system", name: "idempotent-replay" } }, () => User.get({ userId }));
}
