import type { AuditChanges } from "../audit/audit.schema.ts";
import type { StoredUser } from "./user.entity.ts";
import { Roles, type Role, type User } from "./user.schema.ts";

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
    mfaEnabled: stored.mfaEnabled ?? false,
    version: stored.version,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    lastLoginAt: stored.lastLoginAt ?? null,
  };
}

/** Roles deduplicated and in their canonical order. */
export function normalizeRoles(roles: readonly string[]): Role[] {
  return Roles.filter((role) => roles.includes(role));
}

/** The fields an audit event reports on. */
const auditedFields = [
  "email",
  "username",
  "firstName",
  "lastName",
  "phoneNumber",
  "contacts",
  "metadata",
  "avatarUrl",
  "status",
  "roles",
] as const satisfies readonly (keyof User)[];

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
