/**
 * What the signed-in user may do to a user, mirroring the service's policy (packages/core/src/policy.ts)
 * so the console offers only those actions. The server still decides: a refusal is shown where it
 * happened (a target's roles may change after the page loaded).
 */
import type { Role, User } from "./api.ts";

export interface Me {
  userId: string;
  roles: readonly Role[];
}

const isAdmin = (me: Me) => me.roles.includes("admin");
const isStaffUser = (user: Pick<User, "roles">) => user.roles.includes("admin") || user.roles.includes("moderator");

export const can = {
  /** Profile edits and deletion: the user themself, or an admin. */
  edit: (me: Me, user: User) => me.userId === user.userId || isAdmin(me),
  delete: (me: Me, user: User) => me.userId === user.userId || isAdmin(me),
  /** No one changes their own status; moderators only a customer's. */
  setStatus: (me: Me, user: User) =>
    me.userId !== user.userId && (isAdmin(me) || (me.roles.includes("moderator") && !isStaffUser(user))),
  /** Admins, on others. */
  changeRoles: (me: Me, user: User) => me.userId !== user.userId && isAdmin(me),
  /** Admins reset another user's two-factor sign-in (users turn off their own on "Two-factor sign-in"). */
  resetMfa: (me: Me, user: User) => me.userId !== user.userId && isAdmin(me) && user.mfaEnabled,
};
