import { createHmac, randomInt } from "node:crypto";

/** Ten codes of 10 characters from a 32-letter alphabet (50 bits each), shown as `xxxxx-xxxxx`. */
const COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: easy to copy by hand
const LENGTH = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A typed code as stored: lower case, without spaces or dashes. Null when it cannot be one. */
export function normalizeRecoveryCode(code: string): string | null {
  const plain = code.toLowerCase().replace(/[\s-]/g, "");
  return plain.length === LENGTH && [...plain].every((c) => ALPHABET.includes(c)) ? plain : null;
}

/** What is stored of a code: its HMAC under the factor's data key. */
export const recoveryCodeHash = (normalized: string, key: Buffer) => createHmac("sha256", key).update(normalized).digest("base64url");
