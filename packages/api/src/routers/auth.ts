import { Auth, Policy, User, idempotent, useActor } from "@users/core";
import { z } from "zod";
import { procedure, router } from "../trpc.ts";
import { idempotencyKeyOf, withIdempotencyKey, WriteHeaders } from "./idempotency-key.ts";
import { mfaAuthProcedures } from "./mfa.ts";

const logout = idempotent("auth.logout", async () => Auth.logout());
const revokeSession = idempotent("auth.revokeSession", Auth.revokeSession);

/*
 * Login and refresh take no Idempotency-Key: their responses carry credentials, which are never stored
 * (refresh tokens exist only as hashes), and both are safe to retry as they are (a retried login opens
 * another session; a retried refresh within 10 s gets the same pair).
 */

const tags = ["auth"];

export const authRouter = router({
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
        errorResponses: [400, 401, 403, 413, 415, 429],
      },
    })
    .input(Auth.login.schema)
    .output(Auth.TokenPair)
    .mutation(({ input }) => Auth.login(input)),

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
        errorResponses: [400, 401, 403, 413, 415],
      },
    })
    .input(Auth.refresh.schema)
    .output(Auth.TokenPair)
    .mutation(({ input }) => Auth.refresh(input)),

  logout: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/logout",
        tags,
        summary: "End the current session",
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        errorResponses: [400, 401, 403],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(z.object({})).optional())
    .output(z.void())
    .mutation(async ({ input, ctx }) => {
      await logout({}, idempotencyKeyOf(ctx, input?.idempotencyKey));
      ctx.response.status = 204;
    }),

  me: procedure
    .meta({ openapi: { method: "GET", path: "/v1/auth/me", tags, summary: "The signed-in user", errorResponses: [401, 403] } })
    .input(z.void())
    .output(User.User)
    .query(() => User.get({ userId: Policy.signedIn(useActor()).userId })),

  sessions: procedure
    .meta({
      openapi: { method: "GET", path: "/v1/auth/sessions", tags, summary: "The signed-in user's open sessions", errorResponses: [401, 403] },
    })
    .input(z.void())
    .output(Auth.SessionList)
    .query(() => Auth.sessions()),

  revokeSession: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/auth/sessions/{sessionId}",
        tags,
        summary: "End a session",
        description: "The session's own user, or an admin. Its tokens stop working on the next request.",
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        errorResponses: [400, 401, 403, 404],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(Auth.revokeSession.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await revokeSession(input, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.status = 204;
    }),

  ...mfaAuthProcedures,
});
