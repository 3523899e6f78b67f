import type { AuditChanges } from "../audit/index.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { normalizeRoles } from "../user-vocabulary.ts";
import type { User } from "./user.schema.ts";
import { PersonalFields } from "../user-vocabulary.ts";

/** The public shape of a stored user: never the hash, nulls for what is absent. */
export function toUser(stored: StoredUser): User {
  return {
    userId: stored.userId,
    email: stored.email,
    username: stored.username ?? null,
    firstName: stored.firstName,
    lastName: stored.lastName,
    phoneNumber: stored.phoneNumber ?? null,
    status: stored.status,
    roles: normalizeRoles(stored.roles),
    contacts: (stored.contacts ?? []).map(({ contactId, type, value }) => ({ contactId, type, value })),
    metadata: (stored.metadata as User["metadata"] | undefined) ?? {},
    avatarUrl: stored.avatarUrl ?? null,
    emailVerified: stored.emailVerified ?? false,
    mfaEnabled: stored.mfaEnabled ?? false,
    version: stored.version,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    lastLoginAt: stored.lastLoginAt ?? null,
  };
}


/** The fields an audit event reports on. */
const auditedFields = [...PersonalFields, "status", "roles"] as const satisfies readonly (keyof User)[];

/** `{ field: { from, to } }` for every audited field that differs; `before` null for a creation. */
export function diffUsers(before: User | null, after: User): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of auditedFields) {
    const from = before ? before[field] : null;
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

export function isActiveAdmin(user: Pick<StoredUser, "status" | "roles">): boolean {
  return user.status === "active" && user.roles.includes("admin");
}
