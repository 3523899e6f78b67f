import type { ClientScope } from "./client-vocabulary.ts";
import type { Actor } from "./context.ts";
import { AppError } from "./errors.ts";
import type { Role } from "./user-vocabulary.ts";

/**
 * Who may do what, in one place. `may` answers yes or no (the console asks it to offer only allowed
 * actions); `Policy` enforces the same rules with the contract's errors, and every domain operation asks
 * it before it reads or writes: the transports never decide. `system` (the first-admin tool, consumers)
 * may do anything. This module is plain TypeScript with no Node dependency, so the browser can load it.
 */
type User = Extract<Actor, { kind: "user" }>;
/** A user the rules look at: their id and roles. */
export interface Target {
  userId: string;
  roles: readonly string[];
}

const has = (actor: Actor, role: Role) => actor.kind === "user" && actor.roles.includes(role);
const isSelf = (actor: Actor, userId: string) => actor.kind === "user" && actor.userId === userId;
const isAdmin = (actor: Actor) => has(actor, "admin");
const isStaff = (actor: Actor) => has(actor, "admin") || has(actor, "moderator");
const isStaffTarget = (target: Target) => target.roles.includes("admin") || target.roles.includes("moderator");
/**
 * A machine client's scopes: `users:read` reads what a moderator reads, `users:write` adds creating,
 * editing, deleting and status changes, of anyone but an admin: a client that could change an admin's
 * email could take the account over through a password reset. Roles, clients, passwords, sessions and
 * MFA are never a client's.
 */
const granted = (actor: Actor, scope: ClientScope) => actor.kind === "client" && actor.scopes.includes(scope);
const canRead = (actor: Actor) => granted(actor, "users:read") || granted(actor, "users:write");
const canWrite = (actor: Actor) => granted(actor, "users:write");

/** The rules as predicates. */
export const may = {
  /** Anyone may sign up; only admins choose roles or status. */
  createUser: (actor: Actor, input: { roles?: unknown; status?: unknown }) =>
    actor.kind === "client" ? canWrite(actor) && input.roles === undefined && input.status === undefined
    : (input.roles === undefined && input.status === undefined) || isAdmin(actor),
  readUser: (actor: Actor, userId: string) => isSelf(actor, userId) || isStaff(actor) || canRead(actor),
  listUsers: (actor: Actor) => isStaff(actor) || canRead(actor),
  /** Profile edits and deletion: the user themself, an admin, or a client (not of an admin). */
  editUser: (actor: Actor, target: Target) =>
    isSelf(actor, target.userId) || isAdmin(actor) || (canWrite(actor) && !target.roles.includes("admin")),
  /** No one changes their own status; moderators only a customer's; clients anyone's but an admin's. */
  setStatus: (actor: Actor, target: Target) =>
    !isSelf(actor, target.userId) &&
    (isAdmin(actor) || (has(actor, "moderator") && !isStaffTarget(target)) || (canWrite(actor) && !target.roles.includes("admin"))),
  /**
   * A person's own data as a whole: the data-subject export, erasure, the avatar. The user themself or an
   * admin; never a machine client, whose scopes name only profile reads and edits, deletion and status.
   */
  handlePersonalData: (actor: Actor, userId: string) => isSelf(actor, userId) || isAdmin(actor),
  /** Admins, on others. */
  changeRoles: (actor: Actor, userId: string) => !isSelf(actor, userId) && isAdmin(actor),
  changePassword: (actor: Actor, userId: string) => isSelf(actor, userId),
  readAudit: (actor: Actor, userId: string) => isSelf(actor, userId) || isStaff(actor) || canRead(actor),
  revokeSession: (actor: Actor, sessionUserId: string) => isSelf(actor, sessionUserId) || isAdmin(actor),
  /** Machine clients: admins only. */
  manageClients: (actor: Actor) => isAdmin(actor),
  /** Turning MFA off: the user themself (with a code, checked by the caller), or an admin. */
  disableMfa: (actor: Actor, userId: string) => isSelf(actor, userId) || isAdmin(actor),
};

const unauthenticated = () => new AppError("UNAUTHENTICATED", "Sign in first: this needs an access token.");

function require(actor: Actor, allowed: boolean, message = "You may not do this."): void {
  if (actor.kind === "system" || allowed) return;
  if (actor.kind === "anonymous") throw unauthenticated();
  if (actor.kind === "client") throw new AppError("INSUFFICIENT_SCOPE", "This client's scopes do not allow this.");
  throw new AppError("FORBIDDEN", message);
}

/** The rules enforced: each throws UNAUTHENTICATED for an anonymous caller, else FORBIDDEN. */
export const Policy = {
  createUser(actor: Actor, input: { roles?: unknown; status?: unknown }) {
    require(actor, may.createUser(actor, input), "Only admins choose roles or status when creating a user.");
  },
  readUser(actor: Actor, userId: string) {
    require(actor, may.readUser(actor, userId));
  },
  listUsers(actor: Actor) {
    require(actor, may.listUsers(actor), "Only moderators and admins list users.");
  },
  /** Asked before the user is read (`roles: []`), and again on the user as read, in the write. */
  editUser(actor: Actor, target: Target) {
    require(actor, may.editUser(actor, target));
  },
  handlePersonalData(actor: Actor, userId: string) {
    require(actor, may.handlePersonalData(actor, userId), "Only the user themself or an admin handles a user's personal data.");
  },
  setStatus(actor: Actor, target: Target) {
    if (isSelf(actor, target.userId)) require(actor, false, "No one changes their own status.");
    require(actor, may.setStatus(actor, target), "Moderators may change the status of customers only.");
  },
  changeRoles(actor: Actor, userId: string) {
    if (isSelf(actor, userId)) require(actor, false, "No one changes their own roles.");
    require(actor, may.changeRoles(actor, userId), "Only admins grant or take away roles.");
  },
  changePassword(actor: Actor, userId: string) {
    require(actor, may.changePassword(actor, userId), "Only the user changes their own password.");
  },
  readAudit(actor: Actor, userId: string) {
    require(actor, may.readAudit(actor, userId));
  },
  revokeSession(actor: Actor, sessionUserId: string) {
    require(actor, may.revokeSession(actor, sessionUserId));
  },
  manageClients(actor: Actor) {
    require(actor, may.manageClients(actor), "Only admins manage machine clients.");
  },
  disableMfa(actor: Actor, userId: string) {
    require(actor, may.disableMfa(actor, userId));
  },
  /** The signed-in user, for operations on one's own account. */
  signedIn(actor: Actor): User {
    if (actor.kind === "client") throw new AppError("INSUFFICIENT_SCOPE", "A machine client has no account of its own.");
    if (actor.kind !== "user") throw unauthenticated();
    return actor;
  },
};
