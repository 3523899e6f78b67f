/**
 * Settings of the account flows, read from the environment on first use.
 *
 *   APP_NAME                    product name in messages (default "Users service")
 *   APP_URL                     where the console's pages are; links start with it
 *                               (default the local server's console, http://localhost:$PORT/admin)
 *   EMAIL_FROM                  sender address of outgoing mail (deployed: the SES identity)
 *   REQUIRE_EMAIL_VERIFICATION  "true": self sign-up creates pending users, active once verified
 */
import { sstLinkedValue } from "../config.ts";

export interface AccountConfig {
  appName: string;
  appUrl: string;
  emailFrom: string | undefined;
  requireEmailVerification: boolean;
}

export function readAccountConfig(env: NodeJS.ProcessEnv = process.env): AccountConfig {
  const requirement = (env.REQUIRE_EMAIL_VERIFICATION ?? "").trim().toLowerCase();
  if (!["", "true", "false"].includes(requirement)) {
    throw new Error(`REQUIRE_EMAIL_VERIFICATION must be "true" or "false", got "${env.REQUIRE_EMAIL_VERIFICATION}"`);
  }
  const appUrl = (env.APP_URL?.trim() || `http://localhost:${env.PORT || 3000}/admin`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s]+$/i.test(appUrl)) throw new Error(`APP_URL must be an http(s) URL, got "${env.APP_URL}"`);
  return {
    appName: env.APP_NAME?.trim() || "Users service",
    appUrl,
    emailFrom: env.EMAIL_FROM?.trim() || sstLinkedValue("Email", "sender"),
    requireEmailVerification: requirement === "true",
  };
}

let current: AccountConfig | undefined;

export function accountConfig(): AccountConfig {
  current ??= readAccountConfig();
  return current;
}

/** How long each kind of token stays valid. */
export const TOKEN_LIFETIME_SECONDS = {
  "verify-email": 24 * 60 * 60,
  "password-reset": 60 * 60,
  invitation: 7 * 24 * 60 * 60,
} as const;

/** The console's route that opens each kind of link (packages/web/app/router.ts). */
export const LINK_ROUTES = {
  "verify-email": "verify-email",
  "password-reset": "reset-password",
  invitation: "accept-invitation",
} as const;

/** At most this many password-reset (or verification resend) requests per address per hour. */
export const REQUESTS_PER_HOUR = 3;

/** An unsent message is dropped after a day (stream records live 24 hours). */
export const OUTBOX_TTL_SECONDS = 24 * 60 * 60;
