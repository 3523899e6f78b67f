/**
 * Token signing: the keys that sign access tokens (users' and machine clients') and MFA tokens, their
 * public JWKS, and the access-token lifetime. Below access/ and clients/, which both sign and verify.
 */
export { SIGNING_ALGORITHM, generateSigningJwk, publicJwks, signingKeys, type SigningKey } from "./signing-keys.ts";
export { ACCESS_TOKEN_SECONDS, CLOCK_SKEW_SECONDS } from "./token-lifetimes.ts";
