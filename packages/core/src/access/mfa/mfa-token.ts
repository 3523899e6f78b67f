import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, jwtVerify } from "jose";
import { config } from "../../config.ts";
import { AppError } from "../../errors.ts";
import { publicJwks, SIGNING_ALGORITHM, signingKeys } from "../../token-signing/index.ts";

/**
 * Proof that the password was right, for the second step of a sign-in: signed with the service's keys,
 * with its own type and audience so it is never taken for an access token; 5 minutes.
 */
const TOKEN_TYPE = "mfa+jwt";
const LIFETIME_SECONDS = 5 * 60;
const audienceOf = () => `${config().tokenAudience}:mfa`;

async function issueMfaToken(userId: string): Promise<string> {
  const [key] = await signingKeys();
  return new SignJWT({})
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key!.kid, typ: TOKEN_TYPE })
    .setSubject(userId)
    .setIssuer(config().tokenIssuer)
    .setAudience(audienceOf())
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key!.privateKey);
}

/** The 401 for a right password of a user with MFA on: it carries the token for /v1/auth/mfa/verify. */
export async function mfaRequired(userId: string): Promise<AppError> {
  return new AppError("MFA_REQUIRED", "Enter the code of your authenticator app (or a recovery code).", {
    mfaToken: await issueMfaToken(userId),
  });
}

let keySet: ReturnType<typeof createLocalJWKSet> | undefined;

/** The user an MFA token was issued to; an expired or foreign token is UNAUTHENTICATED. */
export async function verifyMfaToken(token: string): Promise<string> {
  keySet ??= createLocalJWKSet(await publicJwks());
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [SIGNING_ALGORITHM],
      typ: TOKEN_TYPE,
      issuer: config().tokenIssuer,
      audience: audienceOf(),
      requiredClaims: ["sub", "exp", "jti"],
    });
    return payload.sub!;
  } catch {
    throw new AppError("UNAUTHENTICATED", "The MFA token is not valid or has expired; sign in again.");
  }
}
