import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { config } from "../config.ts";
import { ACCESS_TOKEN_SECONDS, CLOCK_SKEW_SECONDS, publicJwks, SIGNING_ALGORITHM, signingKeys } from "../token-signing/index.ts";
import { AppError } from "../errors.ts";
import { normalizeScopes, type ClientScope } from "./client.schema.ts";

/** RFC 9068's type for JWT access tokens: a client's token is never mistaken for a user's. */
const TOKEN_TYPE = "at+jwt";

/** A client's access token (RFC 9068 claims): sub and client_id the client, scope space-separated, 15 minutes. */
export async function issueClientToken(clientId: string, scopes: ClientScope[]): Promise<string> {
  const [key] = await signingKeys();
  const { tokenIssuer: issuer, tokenAudience: audience } = config();
  return new SignJWT({ client_id: clientId, scope: scopes.join(" ") })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key!.kid, typ: TOKEN_TYPE })
    .setSubject(clientId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key!.privateKey);
}

/** True when the (not yet verified) token says it is a client's; verification decides whether it is. */
export function isClientToken(token: string): boolean {
  try {
    return typeof decodeJwt(token).client_id === "string";
  } catch {
    return false;
  }
}

let keySet: ReturnType<typeof createLocalJWKSet> | undefined;

/** Signature, type, issuer, audience and expiry, as for a user's token. */
export async function verifyClientToken(token: string): Promise<{ clientId: string; scopes: ClientScope[] }> {
  keySet ??= createLocalJWKSet(await publicJwks());
  const { tokenIssuer: issuer, tokenAudience: audience } = config();
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [SIGNING_ALGORITHM],
      typ: TOKEN_TYPE,
      issuer,
      audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["sub", "client_id", "scope", "exp", "iat", "jti"],
    });
    if (typeof payload.client_id !== "string" || typeof payload.scope !== "string" || payload.sub !== payload.client_id) {
      throw new Error("malformed claims");
    }
    return { clientId: payload.client_id, scopes: normalizeScopes(payload.scope.split(" ")) };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AppError("TOKEN_EXPIRED", "The access token has expired; request a new one.");
    throw new AppError("UNAUTHENTICATED", "The access token is not valid.");
  }
}
