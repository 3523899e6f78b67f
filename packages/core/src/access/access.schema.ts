import * as z from "zod";

export const SessionView = z
  .object({
    sessionId: z.string().meta({ format: "uuid" }),
    createdAt: z.string().meta({ format: "date-time" }),
    lastUsedAt: z.string().meta({ description: "The last sign-in or refresh on this session.", format: "date-time" }),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().meta({ description: "True for the session of the calling token." }),
  })
  .meta({ id: "Session" });
export type SessionView = z.infer<typeof SessionView>;

export const SessionList = z.object({ items: z.array(SessionView) }).meta({ id: "SessionList" });

export const SessionRef = z.strictObject({ sessionId: z.uuid() });

/** The credentials a sign-in or refresh hands out (the transport adds the user). */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}
