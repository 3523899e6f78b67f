import * as z from "zod";
import { Cursor, PageLimit } from "../pagination.ts";
import { Role, UserId } from "../user-vocabulary.ts";

export const AuditEventTypes = [
  "user.created",
  "user.imported",
  "user.erased",
  "user.updated",
  "user.status_changed",
  "user.role_added",
  "user.role_removed",
  "user.password_changed",
  "user.deleted",
  "user.email_verified",
  "user.password_reset",
  "user.invited",
  "user.avatar_changed",
  "user.avatar_removed",
  "auth.login_succeeded",
  "auth.login_failed",
  "auth.logged_out",
  "auth.session_revoked",
  "auth.refresh_reuse_detected",
  "auth.sessions_revoked",
  "user.mfa_enabled",
  "user.mfa_disabled",
  "client.created",
  "client.revoked",
] as const;
export const AuditEventType = z.enum(AuditEventTypes);
export type AuditEventType = z.infer<typeof AuditEventType>;

export const AuditActor = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("user"), userId: z.string().meta({ format: "uuid" }), roles: z.array(Role) }),
    z.object({ kind: z.literal("anonymous") }),
    z.object({ kind: z.literal("system"), name: z.string() }),
    z.object({ kind: z.literal("client"), clientId: z.string().meta({ format: "uuid" }) }),
  ])
  .meta({ id: "AuditActor" });
export type AuditActor = z.infer<typeof AuditActor>;

const FieldChange = z.union([
  z.object({ from: z.unknown(), to: z.unknown() }),
  z.object({ changed: z.literal(true) }),
]);

export const AuditEvent = z
  .object({
    eventId: z.string().meta({ description: "ULID; consumers deduplicate on it.", pattern: "^[0-9A-HJKMNP-TV-Z]{26}$" }),
    type: AuditEventType,
    schemaVersion: z.literal(1),
    userId: z.string().meta({ format: "uuid" }),
    occurredAt: z.string().meta({ format: "date-time" }),
    requestId: z.string(),
    sourceIp: z.string().nullable(),
    actor: AuditActor,
    changes: z.record(z.string(), FieldChange).meta({ description: "Never holds a password or hash." }),
    reason: z.string().optional().meta({ description: "Why, when the caller said (status changes)." }),
  })
  .meta({ id: "AuditEvent" });
export type AuditEvent = z.infer<typeof AuditEvent>;
export type AuditChanges = AuditEvent["changes"];

export const AuditPage = z
  .object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

export const ListAuditInput = z.strictObject({ userId: UserId, limit: PageLimit, cursor: Cursor.optional() });
