/**
 * What the signed-in user may do to a user: the service's own rules (`may` in packages/core/src/policy.ts),
 * asked so the console offers only those actions. The server still decides: a refusal is shown where it
 * happened (a target's roles may change after the page loaded).
 */
import { may } from "@users/core/policy";
import type { Role, User } from "./api.ts";

export interface Me {
  userId: string;
  roles: readonly Role[];
}

const actor = (me: Me) => ({ kind: "user" as const, userId: me.userId, roles: [...me.roles] });

export const can = {
  edit: (me: Me, user: User) => may.editUser(actor(me), user),
  delete: (me: Me, user: User) => may.editUser(actor(me), user),
  setStatus: (me: Me, user: User) => may.setStatus(actor(me), user),
  changeRoles: (me: Me, user: User) => may.changeRoles(actor(me), user.userId),
  /** Admins reset another user's two-factor sign-in (users turn off their own on "Two-factor sign-in"). */
  resetMfa: (me: Me, user: User) => me.userId !== user.userId && user.mfaEnabled && may.disableMfa(actor(me), user.userId),
};
