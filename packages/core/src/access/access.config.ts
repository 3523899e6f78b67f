/** Lifetimes and limits of sign-in (the configurable settings are in ../config.ts). */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 60 * 60;
export const REFRESH_GRACE_SECONDS = 10;
export const CLOCK_SKEW_SECONDS = 30;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_SESSIONS_PER_USER = 50;
