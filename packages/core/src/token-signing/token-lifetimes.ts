/** How long an access token (a user's or a machine client's) is valid, and the clock skew its check allows. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const CLOCK_SKEW_SECONDS = 30;
