import * as z from "zod";
import { Email, User } from "./user.schema.ts";

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
