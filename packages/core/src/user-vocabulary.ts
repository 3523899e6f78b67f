import * as z from "zod";

/**
 * The fixed vocabularies of a user: roles, statuses and contact types. Plain data with their zod enums,
 * imported by the context, the policy, the stored entities and the user schemas alike.
 */
export const Roles = ["customer", "moderator", "admin"] as const;
export const Role = z.enum(Roles).meta({ id: "Role", description: "A role that grants permissions." });
export type Role = z.infer<typeof Role>;

export const Statuses = ["active", "suspended", "pending", "deleted"] as const;
export const Status = z.enum(Statuses).meta({ id: "UserStatus" });
export type Status = z.infer<typeof Status>;
/** The statuses an operator may set; `deleted` comes only from a delete. */
export const SettableStatus = z.enum(["active", "suspended", "pending"]);

export const UserId = z.uuid().meta({ description: "The user's id (UUID v4).", example: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00" });

/** The input that names one user. */
export const UserRef = z.strictObject({ userId: UserId });

/**
 * The fields whose values are the person's own: what an audit event seals with their data key (erasure
 * destroys it) and what a data-subject export returns.
 */

export const PersonalFields = ["email", "username", "firstName", "lastName", "phoneNumber", "contacts", "metadata", "avatarUrl"] as const;

export const ContactTypes = ["PHONE", "WORK", "WHATSAPP"] as const;

/** Roles deduplicated and in their canonical order. */
export function normalizeRoles(roles: readonly string[]): Role[] {
  return Roles.filter((role) => roles.includes(role));
}
