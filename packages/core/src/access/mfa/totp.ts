import { Secret, TOTP } from "otpauth";

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps; ±1 step of clock drift. */
const PERIOD = 30;
const WINDOW = 1;
const ISSUER = "Users service";

const totpOf = (secretBase32: string, label = "user") =>
  new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });

/** A new 160-bit secret, base32 (RFC 4226's recommended length). */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export const otpauthUri = (secretBase32: string, label: string) => totpOf(secretBase32, label).toString();

/** The time step a code belongs to (within ±1 step of now), or null for a wrong code. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

/** The code of a secret at a time (for tests and tools). */
export const totpCode = (secretBase32: string, now = Date.now()) => totpOf(secretBase32).generate({ timestamp: now });
