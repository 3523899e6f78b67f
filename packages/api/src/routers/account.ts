import { Account, Auth, User, idempotent } from "@users/core";
import { z } from "zod";
import { procedure } from "../trpc.ts";
import { idempotencyKeyOf, withIdempotencyKey, WriteHeaders } from "./idempotency-key.ts";

/*
 * The account flows' procedures, under `auth` (auth.verifyEmail, ...). Accepting an invitation takes
 * no Idempotency-Key: its answer carries credentials, which are never stored (as for login).
 */
const writes = {
  verifyEmail: idempotent("auth.verifyEmail", Account.verifyEmail),
  resendVerification: idempotent("auth.resendVerification", async () => Account.resendVerification()),
  requestPasswordReset: idempotent("auth.requestPasswordReset", Account.requestPasswordReset),
  confirmPasswordReset: idempotent("auth.confirmPasswordReset", Account.confirmPasswordReset),
};

const tags = ["auth"];
const idempotencyHeader = WriteHeaders.pick({ "idempotency-key": true });

export const accountProcedures = {
  verifyEmail: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/verify-email",
        tags,
        summary: "Verify an email address with the token from a verify-email message",
        description: "The user's `emailVerified` becomes true. A used, expired or unknown token is 400 INVALID_TOKEN.",
        protect: false,
        requestHeaders: idempotencyHeader,
        errorResponses: [400, 413, 415],
      },
    })
    .input(withIdempotencyKey(Account.verifyEmail.schema))
    .output(User.User)
    .mutation(({ input: { idempotencyKey, ...input }, ctx }) => writes.verifyEmail(input, idempotencyKeyOf(ctx, idempotencyKey))),

  resendVerification: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/verify-email/resend",
        tags,
        summary: "Send the signed-in user another verify-email message",
        description: "202 in every case; nothing is sent when the address is verified or after 3 requests in an hour.",
        requestHeaders: idempotencyHeader,
        errorResponses: [400, 401, 403],
      },
      successStatus: 202,
    })
    .input(withIdempotencyKey(z.object({})).optional())
    .output(z.void())
    .mutation(async ({ input, ctx }) => {
      await writes.resendVerification({}, idempotencyKeyOf(ctx, input?.idempotencyKey));
      ctx.response.status = 202;
    }),

  requestPasswordReset: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/password-reset",
        tags,
        summary: "Send a password-reset message",
        description:
          "202 whether or not the address has an account, in about the same time. At most 3 messages per address per hour; further requests are still 202.",
        protect: false,
        requestHeaders: idempotencyHeader,
        errorResponses: [400, 413, 415],
      },
      successStatus: 202,
    })
    .input(withIdempotencyKey(Account.requestPasswordReset.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await writes.requestPasswordReset(input, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.status = 202;
    }),

  confirmPasswordReset: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/password-reset/confirm",
        tags,
        summary: "Set a new password with the token from a password-reset message",
        description: "Every session of the user ends. A used, expired or unknown token is 400 INVALID_TOKEN.",
        protect: false,
        requestHeaders: idempotencyHeader,
        errorResponses: [400, 413, 415],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(Account.confirmPasswordReset.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await writes.confirmPasswordReset(input, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.status = 204;
    }),

  acceptInvitation: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/invitations/accept",
        tags,
        summary: "Accept an invitation: choose a password and sign in",
        description: "The user becomes active with a verified email. A used, expired or unknown token is 400 INVALID_TOKEN.",
        protect: false,
        errorResponses: [400, 413, 415],
      },
    })
    .input(Account.acceptInvitation.schema)
    .output(Auth.TokenPair)
    .mutation(({ input }) => Account.acceptInvitation(input)),
};
