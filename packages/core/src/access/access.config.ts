/**
 * Lifetimes and limits of sign-in (the configurable settings are in ../config.ts; the access token's
 * lifetime is in ../token-signing/, shared with machine clients).
 */
export { ACCESS_TOKEN_SECONDS, CLOCK_SKEW_SECONDS } from "../token-signing/index.ts";
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 60 * 60;
export const REFRESH_GRACE_SECONDS = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_SESSIONS_PER_USER = 50;
