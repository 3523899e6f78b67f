import { Account, User, validated } from "@users/core";
import * as z from "zod";
import { procedure } from "../trpc.ts";
import { withETag } from "./user-response.ts";
import { writeProcedure } from "./write-procedure.ts";

/*
 * The account flows' procedures, under `auth` (auth.verifyEmail, ...). Accepting an invitation takes
 * no Idempotency-Key: its answer carries credentials, which are never stored (as for login).
 */

const tags = ["auth"];
const resendVerification = validated(z.strictObject({}), () => Account.resendVerification());

export const accountProcedures = {
  verifyEmail: writeProcedure({
    name: "auth.verifyEmail",
    openapi: {
      method: "POST",
      path: "/v1/auth/verify-email",
      tags,
      summary: "Verify an email address with the token from a verify-email message",
      description: "The user's `emailVerified` becomes true. A used, expired or unknown token is 400 INVALID_TOKEN.",
      protect: false,
      errorCodes: ["INVALID_TOKEN"],
    },
    operation: Account.verifyEmail,
    output: User.User,
    respond: withETag,
  }),

  resendVerification: writeProcedure({
    name: "auth.resendVerification",
    openapi: {
      method: "POST",
      path: "/v1/auth/verify-email/resend",
      tags,
      summary: "Send the signed-in user another verify-email message",
      description: "202 in every case; nothing is sent when the address is verified or after 3 requests in an hour.",
      errorCodes: [],
    },
    successStatus: 202,
    operation: resendVerification,
    output: z.void(),
  }),

  requestPasswordReset: writeProcedure({
    name: "auth.requestPasswordReset",
    openapi: {
      method: "POST",
      path: "/v1/auth/password-reset",
      tags,
      summary: "Send a password-reset message",
      description:
        "202 whether or not the address has an account, in about the same time. At most 3 messages per address per hour; further requests are still 202.",
      protect: false,
    },
    successStatus: 202,
    operation: Account.requestPasswordReset,
    output: z.void(),
  }),

  confirmPasswordReset: writeProcedure({
    name: "auth.confirmPasswordReset",
    openapi: {
      method: "POST",
      path: "/v1/auth/password-reset/confirm",
      tags,
      summary: "Set a new password with the token from a password-reset message",
      description: "Every session of the user ends. A used, expired or unknown token is 400 INVALID_TOKEN.",
      protect: false,
      errorCodes: ["INVALID_TOKEN"],
    },
    successStatus: 204,
    operation: Account.confirmPasswordReset,
    output: z.void(),
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
        errorCodes: ["INVALID_TOKEN"],
      },
    })
    .input(Account.acceptInvitation.schema)
    .output(User.TokenPair)
    .mutation(({ input }) => Account.acceptInvitation(input)),
};
