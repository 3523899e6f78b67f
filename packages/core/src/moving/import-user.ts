import { randomUUID } from "node:crypto";
import { AppError } from "../errors.ts";
import { hashPassword } from "../access/index.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { normalizeRoles } from "../user-vocabulary.ts";
import { diffUsers, insertUser, toUser, type UserChange } from "../user/index.ts";
import type { ImportUser } from "./import-record.ts";

/**
 * The stored hash of a user who has no password yet (Cognito imports): no bcrypt hash, so no password
 * matches it. Setting a password (the invitation flow) replaces it.
 */
export const NO_PASSWORD = "!no-password";

export type ImportOutcome = "imported" | "skipped";

/**
 * Stores one imported user with its claims, data key and `user.imported` event, in one transaction. A
 * user whose email is already there is `skipped` (a re-run, or someone who signed up meanwhile). Other
 * refusals (a username taken by someone else) throw the domain error.
 */
export async function importUser(
  user: ImportUser,
  options: { dryRun?: boolean; insert?: (build: () => UserChange) => Promise<StoredUser> } = {},
): Promise<ImportOutcome> {
  if (options.dryRun) {
    const { data } = await db().claim.get({ kind: "email", value: user.email }).go();
    return data ? "skipped" : "imported";
  }
  const passwordHash = user.passwordHash ?? (user.password !== undefined ? await hashPassword(user.password) : NO_PASSWORD);
  const status = user.status ?? (passwordHash === NO_PASSWORD ? "pending" : "active");
  try {
    const insert = options.insert ?? insertUser;
    await insert(() => {
      const now = new Date().toISOString();
      const next: StoredUser = {
        userId: randomUUID(),
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        status,
        roles: normalizeRoles(user.roles ?? ["customer"]),
        contacts: (user.contacts ?? []).map((contact) => ({ ...contact, contactId: contact.contactId ?? randomUUID() })),
        metadata: user.metadata ?? {},
        passwordHash,
        version: 1,
        createdAt: now,
        updatedAt: now,
        ...(user.username ? { username: user.username } : {}),
        ...(user.phoneNumber ? { phoneNumber: user.phoneNumber } : {}),
        ...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {}),
        ...(user.emailVerified !== undefined ? { emailVerified: user.emailVerified } : {}),
      };
      return { next, event: { type: "user.imported", changes: diffUsers(null, toUser(next)) } };
    });
    return "imported";
  } catch (error) {
    if (error instanceof AppError && error.code === "EMAIL_TAKEN") return "skipped";
    throw error;
  }
}
