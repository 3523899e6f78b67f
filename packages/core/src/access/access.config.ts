import { sstLinkedValue, type LinkedValue } from "../config.ts";

/**
 * Token settings. The signing keys are a secret: in AWS they come from the stack's secret, locally
 * `npm start` generates one key once and keeps it under .data/, and tests generate their own.
 */
export interface AuthConfig {
  /** JSON: one private JWK or an array of them; the first signs, all are published in the JWKS. */
  signingKeys: string | undefined;
  issuer: string;
  audience: string;
  /** Sign-in attempts per email in 15 minutes before 429. */
  maxFailuresPerEmail: number;
  /** Failed sign-ins from one source IP, across all emails, in 15 minutes before 429. */
  maxFailuresPerIp: number;
}

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env, linked: LinkedValue = sstLinkedValue): AuthConfig {
  return {
    signingKeys: env.TOKEN_SIGNING_KEYS || linked("TokenSigningKey", "value"),
    issuer: env.TOKEN_ISSUER || "users-service",
    audience: env.TOKEN_AUDIENCE || "users-service-api",
    maxFailuresPerEmail: 5,
    maxFailuresPerIp: Number(env.LOGIN_MAX_FAILURES_PER_IP) || 50,
  };
}

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 60 * 60;
export const REFRESH_GRACE_SECONDS = 10;
export const CLOCK_SKEW_SECONDS = 30;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_SESSIONS_PER_USER = 50;
