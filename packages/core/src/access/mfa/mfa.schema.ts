import * as z from "zod";
import { UserId } from "../../user-vocabulary.ts";

/** A 6-digit TOTP code, or a recovery code (`xxxxx-xxxxx`; case, spaces and the dash do not matter). */
export const MfaCode = z
  .string()
  .trim()
  .min(6)
  .max(32)
  .meta({ description: "The current 6-digit code of the authenticator app, or an unused recovery code." });

export const TotpEnrollment = z
  .object({
    secret: z.string().meta({ description: "Base32 TOTP secret (SHA-1, 6 digits, 30 s), for typing into an app." }),
    otpauthUri: z.string().meta({ description: "`otpauth://totp/…` URI, for a QR code." }),
  })
  .meta({ id: "TotpEnrollment" });
export type TotpEnrollment = z.infer<typeof TotpEnrollment>;

export const ConfirmTotpInput = z.strictObject({
  code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code").meta({ description: "The app's current code." }),
});

export const RecoveryCodes = z
  .object({
    recoveryCodes: z.array(z.string()).meta({ description: "10 single-use codes, shown only now; each signs in once instead of a TOTP code." }),
  })
  .meta({ id: "RecoveryCodes" });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const VerifyMfaInput = z.strictObject({
  mfaToken: z.string().min(1).max(2048).meta({ description: "From the 401 MFA_REQUIRED of /v1/auth/login; valid 5 minutes." }),
  code: MfaCode,
});

export const DisableMfaInput = z.strictObject({
  userId: UserId,
  code: MfaCode.optional().meta({ description: "Required when users turn off their own MFA; admins need none." }),
});
