import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, errors, jwtVerify } from "jose";
import { AppError } from "../errors.ts";
import { config } from "../config.ts";
import type { Role } from "../user-vocabulary.ts";
import { ACCESS_TOKEN_SECONDS, CLOCK_SKEW_SECONDS, publicJwks, SIGNING_ALGORITHM, signingKeys } from "../token-signing/index.ts";

export interface AccessClaims {
  sub: string;
  sid: string;
  roles: Role[];
}

/** A signed access token for one session: sub, sid, roles, iss, aud, iat, exp (15 min), jti; `kid` in the header. */
export async function issueAccessToken(claims: AccessClaims): Promise<string> {
  const [key] = await signingKeys();
  const { tokenIssuer: issuer, tokenAudience: audience } = config();
  return new SignJWT({ sid: claims.sid, roles: claims.roles })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key!.kid, typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key!.privateKey);
}

let keySet: ReturnType<typeof createLocalJWKSet> | undefined;

/**
 * Tokens whose signature, issuer and audience were verified, with their claims and expiry: a client
 * sends the same token for up to 15 minutes, and an EdDSA verification is the largest cost of
 * authenticating a request after the store read. Only expiry changes with time, and it is checked on
 * every use; what a session may still do (logout, revocation, roles) is the auth state's to say, read on
 * every request. Bounded: the oldest entries go first.
 */
const verified = new Map<string, { claims: AccessClaims; expiresAt: number }>();
const MAX_VERIFIED = 10_000;

/**
 * Verifies signature (EdDSA only, a published key by `kid`), issuer, audience and expiry with 30 s of
 * clock skew. An expired token is TOKEN_EXPIRED; anything else wrong is UNAUTHENTICATED.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const known = verified.get(token);
  if (known && Math.floor(Date.now() / 1000) < known.expiresAt + CLOCK_SKEW_SECONDS) return known.claims;
  if (known) verified.delete(token);
  keySet ??= createLocalJWKSet(await publicJwks());
  const { tokenIssuer: issuer, tokenAudience: audience } = config();
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [SIGNING_ALGORITHM],
      issuer,
      audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["sub", "sid", "exp", "iat", "jti"],
    });
    if (typeof payload.sid !== "string" || !Array.isArray(payload.roles)) throw new Error("malformed claims");
    const claims = { sub: payload.sub!, sid: payload.sid, roles: payload.roles as Role[] };
    if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims, expiresAt: payload.exp! });
    return claims;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AppError("TOKEN_EXPIRED", "The access token has expired; refresh it.");
    throw new AppError("UNAUTHENTICATED", "The access token is not valid.");
  }
}
