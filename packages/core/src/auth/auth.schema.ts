import { z } from "zod";
import { Email, User } from "../user/user.schema.ts";

export const LoginInput = z.strictObject({
  email: Email,
  password: z.string().min(1).max(1024).meta({ description: "The account's password.", format: "password" }),
});

export const RefreshInput = z.strictObject({
  refreshToken: z.string().min(1).max(512).meta({ description: "From the last login or refresh; works once." }),
});

export const TokenPair = z
  .object({
    accessToken: z.string().meta({ description: "JWT (EdDSA), 15 minutes; send as `Authorization: Bearer …`." }),
    refreshToken: z.string().meta({ description: "Opaque; exchange at /v1/auth/refresh; the session lasts 7 days." }),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().meta({ description: "Seconds until the access token expires." }),
    user: User,
  })
  .meta({ id: "TokenPair" });
export type TokenPair = z.infer<typeof TokenPair>;

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
