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
 * Verifies signature (EdDSA only, a published key by `kid`), issuer, audience and expiry with 30 s of
 * clock skew. An expired token is TOKEN_EXPIRED; anything else wrong is UNAUTHENTICATED.
 */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
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
    return { sub: payload.sub!, sid: payload.sid, roles: payload.roles as Role[] };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AppError("TOKEN_EXPIRED", "The access token has expired; refresh it.");
    throw new AppError("UNAUTHENTICATED", "The access token is not valid.");
  }
}
