/**
 * `npm run signing-key`: prints a new Ed25519 private JWK set for TOKEN_SIGNING_KEYS or the
 * TokenSigningKey secret. To rotate, put the new key first and keep the old one after it until the
 * tokens it signed have expired (15 minutes): both are published in the JWKS.
 */
import { generateSigningJwk } from "@users/core/token-signing/index";

const existing = process.argv[2] ? (JSON.parse(process.argv[2]) as unknown[]) : [];
console.log(JSON.stringify([await generateSigningJwk(), ...existing]));
