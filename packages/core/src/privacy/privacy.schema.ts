import * as z from "zod";
import { AuditEvent } from "../audit/index.ts";
import { User } from "../user/index.ts";

export const StoredSession = z
  .object({
    sessionId: z.string().meta({ format: "uuid" }),
    createdAt: z.string().meta({ format: "date-time" }),
    lastUsedAt: z.string().meta({ format: "date-time" }),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    expiresAt: z.string().meta({ description: "When the session ends at the latest.", format: "date-time" }),
    revokedAt: z.string().meta({ format: "date-time" }).nullable(),
  })
  .meta({ id: "StoredSession" });

export const DataExport = z
  .object({
    user: User,
    sessions: z.array(StoredSession).meta({ description: "Every session stored for the user, ended ones included." }),
    auditEvents: z.array(AuditEvent).meta({ description: "The user's whole audit trail, oldest first." }),
  })
  .meta({ id: "DataExport", description: "Everything stored about the person." });
export type DataExport = z.infer<typeof DataExport>;
