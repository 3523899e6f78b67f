import * as z from "zod";
import { Email, Password } from "../user/index.ts";

const Token = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .meta({ description: "The `token` query parameter of the link in the message.", format: "password" });

export const VerifyEmailInput = z.strictObject({ token: Token }).meta({ id: "VerifyEmailInput" });

export const PasswordResetRequestInput = z
  .strictObject({ email: Email })
  .meta({ id: "PasswordResetRequestInput", description: "Answered the same whether or not the address has an account." });

export const PasswordResetConfirmInput = z
  .strictObject({ token: Token, newPassword: Password })
  .meta({ id: "PasswordResetConfirmInput" });

export const AcceptInvitationInput = z
  .strictObject({ token: Token, password: Password })
  .meta({ id: "AcceptInvitationInput" });
