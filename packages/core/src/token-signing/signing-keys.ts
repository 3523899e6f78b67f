import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { config } from "../config.ts";

/** Access tokens are signed with Ed25519 (EdDSA); verification accepts nothing else. */
export const SIGNING_ALGORITHM = "EdDSA";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A new private JWK (with its `kid`), for `npm start`'s first run, tests, or rotation. */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: crypto.randomUUID(), alg: SIGNING_ALGORITHM, use: "sig" };
}

let loaded: Promise<SigningKey[]> | undefined;

async function load(): Promise<SigningKey[]> {
  const raw = config().signingKeys;
  if (!raw) {
    throw new Error("TOKEN_SIGNING_KEYS is not set: no key to sign access tokens with (npm start creates one in .data/).");
  }
  const parsed = JSON.parse(raw) as JWK | JWK[];
  const jwks = Array.isArray(parsed) ? parsed : [parsed];
  if (jwks.length === 0) throw new Error("TOKEN_SIGNING_KEYS holds no key.");
  return Promise.all(
    jwks.map(async (jwk) => {
      if (!jwk.kid || !jwk.d) throw new Error("Every signing key needs a `kid` and its private part.");
      const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
      const { d: _private, ...publicJwk } = jwk;
      return { kid: jwk.kid, privateKey, publicJwk: { ...publicJwk, alg: SIGNING_ALGORITHM, use: "sig" } };
    }),
  );
}

/** The configured keys, imported once per process; the first one signs. */
export function signingKeys(): Promise<SigningKey[]> {
  loaded ??= load().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** The public half of every configured key: what `/.well-known/jwks.json` publishes. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: (await signingKeys()).map((key) => key.publicJwk) };
}
