import type { ClientScope } from "./clients/client.schema.ts";
import type { Actor } from "./context.ts";
import { AppError } from "./errors.ts";
import type { Role } from "./user/user.schema.ts";

/**
 * Who may do what, in one place. Every domain operation asks here before it reads or writes; the
 * transports never decide. `system` (the first-admin tool, consumers) may do anything.
 */
type Check = (actor: Actor) => boolean;

const unauthenticated = () => new AppError("UNAUTHENTICATED", "Sign in first: this needs an access token.");
const forbidden = (message = "You may not do this.") => new AppError("FORBIDDEN", message);
const insufficientScope = () => new AppError("INSUFFICIENT_SCOPE", "This client's scopes do not allow this.");

const has = (actor: Actor, role: Role) => actor.kind === "user" && actor.roles.includes(role);
const isSelf = (actor: Actor, userId: string) => actor.kind === "user" && actor.userId === userId;
const isAdmin: Check = (actor) => has(actor, "admin");
const isStaff: Check = (actor) => has(actor, "admin") || has(actor, "moderator");
/**
 * A machine client's scopes: `users:read` reads what a moderator reads, `users:write` adds creating,
 * editing, deleting and status changes. Roles, clients, passwords, sessions and MFA are never a client's.
 */
const granted = (actor: Actor, scope: ClientScope) => actor.kind === "client" && actor.scopes.includes(scope);
const canRead: Check = (actor) => granted(actor, "users:read") || granted(actor, "users:write");
const canWrite: Check = (actor) => granted(actor, "users:write");

function require(actor: Actor, allowed: boolean, message?: string): void {
  if (actor.kind === "system" || allowed) return;
  if (actor.kind === "anonymous") throw unauthenticated();
  if (actor.kind === "client") throw insufficientScope();
  throw forbidden(message);
}

export const Policy = {
  /** Anyone may sign up; only admins choose roles or status. */
  createUser(actor: Actor, input: { roles?: unknown; status?: unknown }) {
    if (input.roles !== undefined || input.status !== undefined) {
      require(actor, isAdmin(actor), "Only admins choose roles or status when creating a user.");
    }
    if (actor.kind === "client") require(actor, canWrite(actor));
  },
  readUser(actor: Actor, userId: string) {
    require(actor, isSelf(actor, userId) || isStaff(actor) || canRead(actor));
  },
  listUsers(actor: Actor) {
    require(actor, isStaff(actor) || canRead(actor), "Only moderators and admins list users.");
  },
  /** Profile edits and deletion: the user themself, or an admin. */
  editUser(actor: Actor, userId: string) {
    require(actor, isSelf(actor, userId) || isAdmin(actor) || canWrite(actor));
  },
  /** Moderators may not act on admins or moderators; no one changes their own status. */
  setStatus(actor: Actor, target: { userId: string; roles: readonly string[] }) {
    if (isSelf(actor, target.userId)) throw forbidden("No one changes their own status.");
    const targetIsStaff = target.roles.includes("admin") || target.roles.includes("moderator");
    const clientMay = canWrite(actor) && !target.roles.includes("admin");
    require(actor, isAdmin(actor) || (has(actor, "moderator") && !targetIsStaff) || clientMay, "Moderators may change the status of customers only.");
  },
  changeRoles(actor: Actor, userId: string) {
    if (isSelf(actor, userId)) throw forbidden("No one changes their own roles.");
    require(actor, isAdmin(actor), "Only admins grant or take away roles.");
  },
  changePassword(actor: Actor, userId: string) {
    require(actor, isSelf(actor, userId), "Only the user changes their own password.");
  },
  readAudit(actor: Actor, userId: string) {
    require(actor, isSelf(actor, userId) || isStaff(actor) || canRead(actor));
  },
  revokeSession(actor: Actor, sessionUserId: string) {
    require(actor, isSelf(actor, sessionUserId) || isAdmin(actor));
  },
  /** Machine clients: only admins create, list and revoke them. */
  manageClients(actor: Actor) {
    require(actor, isAdmin(actor), "Only admins manage machine clients.");
  },
  /** Turning MFA off: the user themself (with a code, checked by the caller), or an admin. */
  disableMfa(actor: Actor, userId: string) {
    require(actor, isSelf(actor, userId) || isAdmin(actor));
  },
  /** The signed-in user, for operations on one's own account. */
  signedIn(actor: Actor): Extract<Actor, { kind: "user" }> {
    if (actor.kind === "client") throw insufficientScope();
    if (actor.kind !== "user") throw unauthenticated();
    return actor;
  },
};
