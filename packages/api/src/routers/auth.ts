import { Access, Policy, User, useActor, validated } from "@users/core";
import * as z from "zod";
import { procedure, router } from "../trpc.ts";
import { accountProcedures } from "./account.ts";
import { writeProcedure } from "./write-procedure.ts";
import { mfaAuthProcedures } from "./mfa.ts";

/*
 * Login and refresh take no Idempotency-Key: their responses carry credentials, which are never stored
 * (refresh tokens exist only as hashes), and both are safe to retry as they are (a retried login opens
 * another session; a retried refresh within 10 s gets the same pair).
 */

const tags = ["auth"];
const logout = validated(z.strictObject({}), () => Access.logout());

export const authRouter = router({
  ...accountProcedures,
  login: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/login",
        tags,
        summary: "Sign in with email and password",
        description:
          "Unknown email and wrong password are the same 401. After 5 attempts for one email in 15 minutes: 429 with Retry-After.",
        protect: false,
        errorCodes: ["INVALID_CREDENTIALS", "TOO_MANY_ATTEMPTS", "MFA_REQUIRED"],
      },
    })
    .input(User.login.schema)
    .output(User.TokenPair)
    .mutation(({ input }) => User.login(input)),

  refresh: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/refresh",
        tags,
        summary: "Exchange a refresh token for a new pair",
        description:
          "Each refresh token works once. Within 10 s the replaced token returns the same new pair; later, it ends the session.",
        protect: false,
        errorCodes: ["INVALID_REFRESH_TOKEN"],
      },
    })
    .input(User.refresh.schema)
    .output(User.TokenPair)
    .mutation(({ input }) => User.refresh(input)),

  logout: writeProcedure({
    name: "auth.logout",
    openapi: { method: "POST", path: "/v1/auth/logout", tags, summary: "End the current session" },
    successStatus: 204,
    operation: logout,
    output: z.void(),
  }),

  me: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/auth/me",
        tags,
        summary: "The signed-in user",
        responseHeaders: z.object({ ETag: z.string().meta({ description: 'The user\'s version: `"3"`.' }) }),
      },
    })
    .input(z.void())
    .output(User.User)
    .query(async ({ ctx }) => {
      const user = await User.get({ userId: Policy.signedIn(useActor()).userId });
      ctx.response.headers.ETag = `"${user.version}"`;
      return user;
    }),

  sessions: procedure
    .meta({
      openapi: { method: "GET", path: "/v1/auth/sessions", tags, summary: "The signed-in user's open sessions" },
    })
    .input(z.void())
    .output(Access.SessionList)
    .query(() => Access.sessions()),

  revokeSession: writeProcedure({
    name: "auth.revokeSession",
    openapi: {
      method: "DELETE",
      path: "/v1/auth/sessions/{sessionId}",
      tags,
      summary: "End a session",
      description: "The session's own user, or an admin. Its tokens stop working on the next request.",
    },
    successStatus: 204,
    operation: Access.revokeSession,
    output: z.void(),
  }),

  ...mfaAuthProcedures,
});
