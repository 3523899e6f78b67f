import * as z from "zod";
import { ContactTypes, Role, Roles, SettableStatus, Status, UserId } from "../user-vocabulary.ts";
import { Cursor, PageLimit } from "../pagination.ts";

export { ContactTypes, Role, Roles, SettableStatus, Status, Statuses, UserId, UserRef } from "../user-vocabulary.ts";

const utf8Bytes = (value: string) => Buffer.byteLength(value, "utf8");


export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email()
  .meta({ description: "Unique case-insensitively; stored trimmed and lower-cased.", example: "ada@example.com" });

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, "3 to 32 characters of a-z, 0-9, _ . -")
  .meta({ description: "Unique case-insensitively; 3–32 of [a-z0-9_.-].", example: "ada" });

const PersonName = z.string().trim().min(1).max(100);

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, "must be an E.164 number such as +442071234567")
  .meta({ description: "E.164 phone number.", example: "+442071234567" });

export const AvatarUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .meta({ description: "An http(s) URL of the user's picture." });

export const Password = z
  .string()
  .refine((value) => utf8Bytes(value) >= 8, "must be at least 8 bytes in UTF-8")
  .refine((value) => utf8Bytes(value) <= 72, "must be at most 72 bytes in UTF-8 (bcrypt's limit)")
  .meta({ description: "8–72 bytes in UTF-8. Never returned.", format: "password" });

export const ContactInput = z.strictObject({
  contactId: z.uuid().optional().meta({ description: "Kept when given; generated for a new contact." }),
  type: z.enum(ContactTypes),
  value: z.string().trim().min(1).max(254),
});
export const Contact = z
  .object({ contactId: z.uuid(), type: z.enum(ContactTypes), value: z.string() })
  .meta({ id: "Contact" });
export type Contact = z.infer<typeof Contact>;

// Keys are plain data and numbers must read back exactly: see metadata.ts.
import { Metadata, MetadataView } from "./metadata.ts";
export { Metadata };

const Contacts = z
  .array(ContactInput)
  .max(10)
  .refine((contacts) => {
    const ids = contacts.flatMap((contact) => (contact.contactId ? [contact.contactId] : []));
    return new Set(ids).size === ids.length;
  }, "contactId values must be unique");

const ExpectedVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .meta({ description: "The version the change is based on (REST: `If-Match`); a mismatch is 412." });

/**
 * The profile a user or admin edits: required fields, then optional ones (null or absent clears them).
 * Create and replace take it whole; update takes any part of it.
 */
const Profile = z.strictObject({
  email: Email,
  firstName: PersonName,
  lastName: PersonName,
  username: Username.nullable().optional(),
  phoneNumber: PhoneNumber.nullable().optional(),
  contacts: Contacts.nullable().optional(),
  metadata: Metadata.nullable().optional(),
  avatarUrl: AvatarUrl.nullable().optional(),
});

export const CreateUserInput = Profile.extend({
  password: Password.optional().meta({
    description: "Required, except for an admin inviting the user: without it the user is `pending` and gets an invitation message.",
  }),
  roles: z
    .array(Role)
    .min(1)
    .max(Roles.length)
    .optional()
    .meta({ description: "Admins only; default `[\"customer\"]`." }),
  status: SettableStatus.optional().meta({ description: "Admins only; default `active`." }),
}).meta({ id: "CreateUserInput" });
export type CreateUserInput = z.input<typeof CreateUserInput>;

const Target = { userId: UserId, expectedVersion: ExpectedVersion };

export const UpdateUserInput = Profile.partial()
  .extend(Target)
  .meta({ description: "Partial update: absent fields are kept, null clears an optional field." });

export const ReplaceUserInput = Profile.extend(Target).meta({
  description: "Full replacement of the editable fields: absent optional fields are cleared.",
});

export const DeleteUserInput = z.strictObject(Target);

export const SetStatusInput = z.strictObject({
  userId: UserId,
  expectedVersion: ExpectedVersion,
  status: SettableStatus,
  reason: z.string().trim().min(1).max(500).optional().meta({ description: "Recorded in the audit event." }),
});

export const ChangePasswordInput = z.strictObject({
  userId: UserId,
  currentPassword: z.string().min(1).max(1024).meta({ format: "password" }),
  newPassword: Password,
});

export const RoleChangeInput = z.strictObject({ userId: UserId, expectedVersion: ExpectedVersion, role: Role });

const IsoInstant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .meta({ description: "ISO 8601 instant.", example: "2026-11-22T10:15:30.123Z" });


export const ListUsersInput = z.strictObject({
  status: Status.optional().meta({ description: "Deleted users appear only with `status=deleted`." }),
  createdAfter: IsoInstant.optional().meta({ description: "Only users created strictly after this instant." }),
  createdBefore: IsoInstant.optional().meta({ description: "Only users created strictly before this instant." }),
  email: Email.optional().meta({ description: "Exact email, case-insensitive." }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({
      description:
        "Search: each word must start a word of the email (local part split at . _ - +, or the whole address), username, first or last name; case- and accent-insensitive. Results are ordered by the first matching word, then newest first.",
      example: "ada lov",
    }),
  limit: PageLimit,
  cursor: Cursor.optional(),
});
export type ListUsersInput = z.output<typeof ListUsersInput>;



const Instant = z
  .string()
  .meta({ description: "ISO 8601 UTC with milliseconds.", format: "date-time", example: "2026-11-22T10:15:30.123Z" });

export const User = z
  .object({
    userId: z.string().meta({ format: "uuid" }),
    email: z.string().meta({ format: "email", maxLength: 254 }),
    username: z.string().meta({ pattern: "^[a-z0-9_.-]{3,32}$" }).nullable(),
    firstName: z.string().meta({ maxLength: 100 }),
    lastName: z.string().meta({ maxLength: 100 }),
    phoneNumber: z.string().meta({ pattern: "^\\+[1-9]\\d{1,14}$" }).nullable(),
    status: Status,
    roles: z.array(Role),
    contacts: z.array(Contact),
    metadata: MetadataView,
    avatarUrl: z.string().meta({ format: "uri" }).nullable(),
    emailVerified: z.boolean().meta({ description: "Whether the user followed a verification link sent to `email`." }),
    mfaEnabled: z.boolean().meta({ description: "True once TOTP sign-in is confirmed; sign-in then asks for a code." }),
    version: z.number().int().meta({ minimum: 1 }),
    createdAt: Instant,
    updatedAt: Instant,
    lastLoginAt: Instant.nullable(),
  })
  .meta({ id: "User" });
export type User = z.infer<typeof User>;

export const UserPage = z
  .object({
    items: z.array(User),
    nextCursor: z.string().nullable(),
    total: z
      .number()
      .int()
      .nullable()
      .meta({ description: "How many users match `status` (default: all but deleted); null when the list has q, email, createdAfter or createdBefore." }),
  })
  .meta({ id: "UserPage" });
export type UserPage = z.infer<typeof UserPage>;

const Count = z.number().int();
export const UserStats = z
  .object({
    total: z.number().int().meta({ description: "Every user that is not deleted." }),
    byStatus: z.object({ active: Count, suspended: Count, pending: Count, deleted: Count }),
    byRole: z.object({ customer: Count, moderator: Count, admin: Count }),
  })
  .meta({ id: "UserStats", description: "Exact counts, read from sharded tallies kept in the same transaction as every change." });
export type UserStats = z.infer<typeof UserStats>;
