import * as z from "zod";
import { CreateUserInput, Password } from "../user/index.ts";

/** The formats `npm run import` reads. */
export const ImportFormats = ["ndjson", "auth0", "cognito-csv"] as const;
export type ImportFormat = (typeof ImportFormats)[number];

/** A bcrypt hash as other systems write it: `$2a$`, `$2b$` or `$2y$`, cost 04–31. */
export const BcryptHash = z
  .string()
  .regex(/^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/, "must be a bcrypt hash ($2a$, $2b$ or $2y$)");

/**
 * One user to import, in our own terms (the NDJSON format is exactly this): the profile, `status`,
 * `roles`, `emailVerified`, and a `passwordHash` or a `password`. Without either the user has no
 * password yet and arrives `pending` (to be invited).
 */
export const ImportUser = CreateUserInput.omit({ password: true })
  .extend({
    password: Password.optional(),
    passwordHash: BcryptHash.optional(),
    emailVerified: z.boolean().optional(),
  })
  .superRefine((user, ctx) => {
    if (user.password !== undefined && user.passwordHash !== undefined) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "give a password or a passwordHash, not both" });
    }
    const hasPassword = user.password !== undefined || user.passwordHash !== undefined;
    if (!hasPassword && user.status !== undefined && user.status !== "pending") {
      ctx.addIssue({ code: "custom", path: ["status"], message: "a user without a password or passwordHash can only be pending" });
    }
  });
export type ImportUser = z.output<typeof ImportUser>;

/** A record that cannot become an ImportUser, and why. */
export class RecordError extends Error {
  override readonly name = "RecordError";
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value : undefined);

/** First and last name from given/family names, else from a full name split at its last space. */
function names(given: unknown, family: unknown, full: unknown): { firstName: string; lastName: string } {
  const first = text(given);
  const last = text(family);
  if (first && last) return { firstName: first, lastName: last };
  const whole = text(full)?.trim();
  const at = whole ? whole.lastIndexOf(" ") : -1;
  if (whole && at > 0) return { firstName: first ?? whole.slice(0, at), lastName: last ?? whole.slice(at + 1) };
  throw new RecordError("needs given_name and family_name (or a name of two words)");
}

/**
 * An entry of Auth0's bulk-import JSON array. Hashes: `custom_password_hash` with algorithm bcrypt, or
 * `password_hash` (Auth0's own field, bcrypt). `blocked` users arrive suspended; `picture` is the avatar.
 */
export function fromAuth0(entry: unknown): unknown {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new RecordError("is not a JSON object");
  const e = entry as Record<string, unknown>;
  const custom = e.custom_password_hash as { algorithm?: unknown; hash?: { value?: unknown } } | undefined;
  let passwordHash: unknown;
  if (custom !== undefined) {
    if (custom?.algorithm !== "bcrypt") throw new RecordError(`custom_password_hash.algorithm ${JSON.stringify(custom?.algorithm)} is not supported (only bcrypt)`);
    passwordHash = custom.hash?.value;
  } else if (e.password_hash !== undefined) {
    passwordHash = e.password_hash;
  }
  return {
    email: e.email,
    ...names(e.given_name, e.family_name, e.name),
    ...(e.username !== undefined ? { username: e.username } : {}),
    ...(e.user_metadata !== undefined ? { metadata: e.user_metadata } : {}),
    ...(typeof e.picture === "string" ? { avatarUrl: e.picture } : {}),
    ...(e.email_verified !== undefined ? { emailVerified: e.email_verified } : {}),
    ...(passwordHash !== undefined ? { passwordHash } : {}),
    ...(e.blocked === true ? { status: "suspended" } : {}),
  };
}

const csvBoolean = (value: string | undefined) => (value === undefined || value === "" ? undefined : value.toLowerCase() === "true");

/**
 * A row of a Cognito user-pool CSV export (columns by header name: email, email_verified, given_name,
 * family_name, name, preferred_username, phone_number, picture, …). Cognito never exports passwords:
 * the user arrives pending, without one, to be invited.
 */
export function fromCognitoRow(row: Record<string, string>): unknown {
  const value = (name: string) => text(row[name]);
  return {
    email: row.email,
    ...names(row.given_name, row.family_name, row.name),
    ...(value("preferred_username") ? { username: value("preferred_username") } : {}),
    ...(value("phone_number") ? { phoneNumber: value("phone_number") } : {}),
    ...(value("picture") ? { avatarUrl: value("picture") } : {}),
    ...(csvBoolean(row.email_verified) !== undefined ? { emailVerified: csvBoolean(row.email_verified) } : {}),
    status: "pending",
  };
}

/** What `npm run export` writes besides the importable fields; ignored on import, so an export imports back. */
const exportOnlyFields = ["userId", "version", "createdAt", "updatedAt", "lastLoginAt", "mfaEnabled", "deletedAt"];

function withoutExportOnlyFields(record: unknown): unknown {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return record;
  const copy: Record<string, unknown> = { ...record };
  for (const field of exportOnlyFields) delete copy[field];
  // Cleared optional fields are exported as null; on import null means absent.
  for (const [field, value] of Object.entries(copy)) if (value === null) delete copy[field];
  return copy;
}

/** A record of the given format as an ImportUser, or the reason it is not one. */
export function toImportUser(format: ImportFormat, record: unknown): { ok: true; user: ImportUser } | { ok: false; reason: string } {
  let candidate: unknown;
  try {
    candidate =
      format === "auth0"
        ? fromAuth0(record)
        : format === "cognito-csv"
          ? fromCognitoRow(record as Record<string, string>)
          : withoutExportOnlyFields(record);
  } catch (error) {
    if (error instanceof RecordError) return { ok: false, reason: error.message };
    throw error;
  }
  const parsed = ImportUser.safeParse(candidate);
  if (parsed.success) return { ok: true, user: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "record"}: ${i.message}`).join("; ") };
}
