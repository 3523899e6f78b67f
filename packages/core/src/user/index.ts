import { randomUUID } from "node:crypto";
import * as Access from "../access/index.ts";
import { useActor } from "../context.ts";
import { AppError } from "../errors.ts";
import { Policy } from "../policy.ts";
import { readPage, type Page } from "../pagination.ts";
import { count } from "../observability/metrics.ts";
import { adminTallyKey } from "../store/entities/admin-tally.entity.ts";
import { userConversions, type StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import { validated } from "../validation.ts";
import { emailChanged, signUpPlan, unguessablePassword, welcome } from "./sign-up.ts";
import {
  ChangePasswordInput,
  CreateUserInput,
  DeleteUserInput,
  ListUsersInput,
  ReplaceUserInput,
  RoleChangeInput,
  SetStatusInput,
  UpdateUserInput,
  UserRef,
  type User,
} from "./user.schema.ts";
import { normalizeRoles } from "../user-vocabulary.ts";
import { diffUsers, toUser } from "./user.view.ts";
import { searchUserIds } from "../search/index.ts";
import { listUserIds } from "./sharded-list.ts";
import { usersInOrder } from "./users-in-order.ts";
import { readStats } from "../stats/index.ts";
import { type UserStats } from "./user.schema.ts";
import * as z from "zod";
import { changeUser, insertUser, loadLiveUser, nextVersion, type UserChange } from "./user.write.ts";

export * from "./user.schema.ts";
export * from "./sign-in.schema.ts";
export { toUser, diffUsers } from "./user.view.ts";
export { insertUsers } from "./user.insert-many.ts";
export { listUserIds } from "./sharded-list.ts";
export { usersInOrder } from "./users-in-order.ts";
export { changeUser, erasureSteps, insertUser, loadLiveUser, nextVersion, type UserChange } from "./user.write.ts";
export { indexStoredUser, type BackfillOutcome } from "./user.backfill.ts";
export { login, refresh, verifyMfa } from "./sign-in.ts";
export * from "./avatar.ts";
export * as Mfa from "./mfa.ts";

type ContactsInput = NonNullable<CreateUserInput["contacts"]>;

const withContactIds = (contacts: ContactsInput | null | undefined) =>
  (contacts ?? []).map((contact) => ({ ...contact, contactId: contact.contactId ?? randomUUID() }));

/** An optional stored field: absent when cleared with null or left out. */
const optional = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** An edit of profile fields as one audited `user.updated` change, or null when nothing differs. */
function profileChange(current: StoredUser, next: StoredUser): UserChange | null {
  const changes = diffUsers(toUser(current), toUser(next));
  if (Object.keys(changes).length === 0) return null;
  return { next, event: { type: "user.updated", changes } };
}

export const create = validated(CreateUserInput, async (input): Promise<User> => {
  Policy.createUser(useActor(), input);
  const plan = signUpPlan(useActor(), input);
  const passwordHash = await Access.hashPassword(input.password ?? unguessablePassword());
  const stored = await insertUser(() => {
    const now = new Date().toISOString();
    const next: StoredUser = {
      userId: randomUUID(),
      email: input.email,
      username: optional(input.username),
      firstName: input.firstName,
      lastName: input.lastName,
      phoneNumber: optional(input.phoneNumber),
      status: plan.status,
      emailVerified: false,
      roles: normalizeRoles(input.roles ?? ["customer"]),
      contacts: withContactIds(input.contacts),
      metadata: input.metadata ?? {},
      avatarUrl: optional(input.avatarUrl),
      passwordHash,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return { next, event: { type: "user.created", changes: diffUsers(null, toUser(next)) } };
  });
  count("UsersCreated");
  await welcome(stored, plan);
  return toUser(stored);
});

export const get = validated(UserRef, async ({ userId }): Promise<User> => {
  Policy.readUser(useActor(), userId);
  return toUser(await loadLiveUser(userId));
});

export const update = validated(UpdateUserInput, async ({ userId, expectedVersion, ...patch }): Promise<User> => {
  const actor = useActor();
  Policy.editUser(actor, { userId, roles: [] });
  let newEmail = false;
  const stored = await changeUser(userId, expectedVersion, (current) => {
    Policy.editUser(actor, current);
    const fields: Partial<StoredUser> = {};
    if (patch.email !== undefined) fields.email = patch.email;
    if (patch.firstName !== undefined) fields.firstName = patch.firstName;
    if (patch.lastName !== undefined) fields.lastName = patch.lastName;
    if (patch.username !== undefined) fields.username = optional(patch.username);
    if (patch.phoneNumber !== undefined) fields.phoneNumber = optional(patch.phoneNumber);
    if (patch.avatarUrl !== undefined) fields.avatarUrl = optional(patch.avatarUrl);
    if (patch.contacts !== undefined) fields.contacts = withContactIds(patch.contacts);
    if (patch.metadata !== undefined) fields.metadata = patch.metadata ?? {};
    newEmail = fields.email !== undefined && fields.email !== current.email;
    if (newEmail) fields.emailVerified = false;
    return profileChange(current, nextVersion(current, fields));
  });
  if (newEmail) await emailChanged(stored);
  return toUser(stored);
});

export const replace = validated(ReplaceUserInput, async ({ userId, expectedVersion, ...profile }): Promise<User> => {
  const actor = useActor();
  Policy.editUser(actor, { userId, roles: [] });
  let newEmail = false;
  const stored = await changeUser(userId, expectedVersion, (current) => {
    Policy.editUser(actor, current);
    newEmail = profile.email !== current.email;
    return profileChange(
      current,
      nextVersion(current, {
        ...(newEmail ? { emailVerified: false } : {}),
        email: profile.email,
        firstName: profile.firstName,
        lastName: profile.lastName,
        username: optional(profile.username),
        phoneNumber: optional(profile.phoneNumber),
        avatarUrl: optional(profile.avatarUrl),
        contacts: withContactIds(profile.contacts),
        metadata: profile.metadata ?? {},
      }),
    );
  });
  if (newEmail) await emailChanged(stored);
  return toUser(stored);
});

/** Soft delete: the user is kept as `deleted`, its email and username are freed, its sessions end. */
export const remove = validated(DeleteUserInput, async ({ userId, expectedVersion }): Promise<void> => {
  const actor = useActor();
  Policy.editUser(actor, { userId, roles: [] });
  await changeUser(userId, expectedVersion, (current) => {
    Policy.editUser(actor, current);
    const next = nextVersion(current, { status: "deleted" });
    next.deletedAt = next.updatedAt;
    return {
      next,
      event: { type: "user.deleted", changes: { status: { from: current.status, to: "deleted" } } },
      sessionsAfter: [],
    };
  });
});

/**
 * The signed-in user changes their password; every other session of theirs ends. A wrong current
 * password counts like a failed sign-in.
 */
export const changePassword = validated(ChangePasswordInput, async ({ userId, currentPassword, newPassword }): Promise<void> => {
  const actor = useActor();
  Policy.changePassword(actor, userId);
  const sessionId = actor.kind === "user" ? actor.sessionId : undefined;
  await changeUser(userId, undefined, async (current) => {
    await Access.verifyCurrentPassword(current, currentPassword);
    const keep = sessionId ? await Access.openSessionOf(userId, sessionId) : undefined;
    return {
      next: nextVersion(current, { passwordHash: await Access.hashPassword(newPassword) }),
      event: { type: "user.password_changed", changes: { password: { changed: true } } },
      sessionsAfter: keep ? [keep] : [],
    };
  });
});

export const setStatus = validated(SetStatusInput, async ({ userId, expectedVersion, status, reason }): Promise<User> => {
  const actor = useActor();
  Policy.setStatus(actor, { userId, roles: [] });
  const stored = await changeUser(userId, expectedVersion, (current) => {
    Policy.setStatus(actor, current);
    if (current.status === status) return null;
    return {
      next: nextVersion(current, { status }),
      event: { type: "user.status_changed", changes: { status: { from: current.status, to: status } }, reason },
      // Only an active account keeps its sessions: a token from before a suspension stays invalid
      // after the account is reactivated.
      ...(status === "active" ? {} : { sessionsAfter: [] }),
    };
  });
  return toUser(stored);
});

export const addRole = validated(RoleChangeInput, async ({ userId, expectedVersion, role }): Promise<User> => {
  Policy.changeRoles(useActor(), userId);
  const stored = await changeUser(userId, expectedVersion, (current) => {
    if (current.roles.includes(role)) return null;
    const roles = normalizeRoles([...current.roles, role]);
    return {
      next: nextVersion(current, { roles }),
      event: { type: "user.role_added", changes: { roles: { from: current.roles, to: roles } } },
    };
  });
  return toUser(stored);
});

export const removeRole = validated(RoleChangeInput, async ({ userId, expectedVersion, role }): Promise<User> => {
  Policy.changeRoles(useActor(), userId);
  const stored = await changeUser(userId, expectedVersion, (current) => {
    if (!current.roles.includes(role)) return null;
    const roles = current.roles.filter((r) => r !== role);
    if (roles.length === 0) {
      throw new AppError("VALIDATION_FAILED", "A user always keeps at least one role.", {
        issues: [{ path: "role", message: "cannot remove the user's only role" }],
      });
    }
    return {
      next: nextVersion(current, { roles }),
      event: { type: "user.role_removed", changes: { roles: { from: current.roles, to: roles } } },
    };
  });
  return toUser(stored);
});

/** Whether the service has an active admin (npm start says how to create the first one). */
export async function hasActiveAdmin(): Promise<boolean> {
  const { data } = await db().adminTally.get(adminTallyKey).go({ consistent: true });
  return (data?.activeAdmins ?? 0) > 0;
}

type UserFilter = Parameters<ReturnType<ReturnType<typeof db>["user"]["query"]["byEmail"]>["where"]>[0];

/** How many users a list without search or filters other than status holds: from the counts. */
async function listTotal(input: ListUsersInput): Promise<number | null> {
  if (input.q !== undefined || input.email || input.createdAfter || input.createdBefore) return null;
  const stats = await readStats();
  return input.status ? stats.byStatus[input.status] : stats.total;
}

/** Users newest first (or, with `q`, search results), and the total when the list has no filter but status. */
export const list = validated(ListUsersInput, async (input): Promise<Page<User> & { total: number | null }> => {
  Policy.listUsers(useActor());
  const [page, total] = await Promise.all([listPage(input), listTotal(input)]);
  return { ...page, total };
});

/** The exact counts by status and role (moderators and admins). */
export const stats = validated(z.object({}).optional(), async (): Promise<UserStats> => {
  Policy.listUsers(useActor());
  return readStats();
});

async function listPage(input: ListUsersInput): Promise<Page<User>> {
  if (input.q !== undefined) {
    const page = await searchUserIds({ ...input, q: input.q });
    const users = await usersInOrder(page.items);
    return { items: users.map(toUser), nextCursor: page.nextCursor };
  }
  if (!input.email) {
    const page = await listUserIds(input);
    // The index is eventually consistent; the users are read strongly, so one that just changed status
    // is shown as it is now, and left out when it no longer matches the filter.
    const users = (await usersInOrder(page.items)).filter((user) =>
      input.status ? user.status === input.status : user.status !== "deleted",
    );
    return { items: users.map(toUser), nextCursor: page.nextCursor };
  }
  const { status, email, createdAfter, createdBefore, limit, cursor } = input;
  const scope = JSON.stringify(["users", status ?? null, email ?? null, createdAfter ?? null, createdBefore ?? null]);
  const page = await readPage({
    scope,
    limit,
    cursor,
    positionOf: (item: StoredUser) => userConversions.byAccessPattern.byEmail.fromComposite.toCursor(item),
    query: (position, count) => {
      const from = { createdAt: createdAfter ?? "0" };
      const to = { createdAt: createdBefore ?? "~" };
      const filter: UserFilter = ({ createdAt, status: current }, { gt, lt, eq, ne }) =>
        [
          createdAfter ? gt(createdAt, createdAfter) : "",
          createdBefore ? lt(createdAt, createdBefore) : "",
          status ? eq(current, status) : ne(current, "deleted"),
        ]
          .filter(Boolean)
          .join(" AND ");
      return db().user.query.byEmail({ email }).between(from, to).where(filter).go({ order: "desc", cursor: position, count, limit: count });
    },
  });
  return { items: page.items.map(toUser), nextCursor: page.nextCursor };
}
