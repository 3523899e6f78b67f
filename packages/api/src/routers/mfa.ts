import { Mfa, User } from "@users/core";
import * as z from "zod";
import { procedure } from "../trpc.ts";
import { writeProcedure } from "./write-procedure.ts";

/*
 * Enrollment and confirmation take no Idempotency-Key: their responses hold a secret and recovery
 * codes, which are never stored in the clear (a retried enrollment simply starts over).
 */

/** Multi-factor sign-in, under `auth.*`. */
export const mfaAuthProcedures = {
  mfaEnrollTotp: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/mfa/totp",
        tags: ["auth"],
        summary: "Start TOTP enrollment",
        description:
          "Returns a new secret and its otpauth:// URI (for a QR code), shown only now. Not active until confirmed; starting again replaces it. 409 when MFA is already on.",
        errorCodes: ["MFA_ALREADY_ENABLED"],
      },
    })
    .input(z.object({}).optional())
    .output(Mfa.TotpEnrollment)
    .mutation(() => Mfa.enrollTotp()),

  mfaConfirmTotp: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/mfa/totp/confirm",
        tags: ["auth"],
        summary: "Confirm TOTP enrollment with a code",
        description:
          "MFA is on from now: sign-in asks for a code. Returns 10 single-use recovery codes, shown only now. Wrong code: 401 INVALID_MFA_CODE; no enrollment: 404.",
        errorCodes: ["MFA_ALREADY_ENABLED", "NOT_FOUND", "INVALID_MFA_CODE"],
      },
    })
    .input(Mfa.confirmTotp.schema)
    .output(Mfa.RecoveryCodes)
    .mutation(({ input }) => Mfa.confirmTotp(input)),

  mfaVerify: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/auth/mfa/verify",
        tags: ["auth"],
        summary: "Finish signing in with a TOTP or recovery code",
        description:
          "`mfaToken` comes from the 401 MFA_REQUIRED of /v1/auth/login (5 minutes). A wrong or already used code is 401 INVALID_MFA_CODE and counts as a failed sign-in (429 after 5 in 15 minutes); an expired or unknown `mfaToken` is 401 UNAUTHENTICATED (sign in again).",
        protect: false,
        errorCodes: ["INVALID_MFA_CODE", "TOO_MANY_ATTEMPTS"],
      },
    })
    .input(User.verifyMfa.schema)
    .output(User.TokenPair)
    .mutation(({ input }) => User.verifyMfa(input)),
};

/** Turning MFA off, under `users.*`. */
export const userMfaProcedures = {
  disableMfa: writeProcedure({
    name: "users.disableMfa",
    openapi: {
      method: "DELETE",
      path: "/v1/users/{userId}/mfa",
      tags: ["users"],
      summary: "Turn multi-factor sign-in off",
      description:
        "Users for themselves with a current `code` (TOTP or recovery; JSON body or query), admins for anyone without one. Already off: 204, nothing changes.",
      errorCodes: ["INVALID_MFA_CODE", "TOO_MANY_ATTEMPTS"],
    },
    successStatus: 204,
    operation: Mfa.disable,
    output: z.void(),
  }),
};
