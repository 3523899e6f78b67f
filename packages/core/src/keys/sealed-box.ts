import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM boxes for secrets at rest: `v1.<iv>.<ciphertext>.<tag>` in base64url. `aad` binds a box to
 * where it belongs (a user id, a purpose): a box moved elsewhere, or altered, does not open.
 */
const VERSION = "v1";
const IV_BYTES = 12;

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error("AES-256-GCM needs a 32-byte key");
}

export function seal(plaintext: Buffer | string, key: Buffer, aad?: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext), cipher.final()]);
  return [VERSION, ...[iv, body, cipher.getAuthTag()].map((part) => part.toString("base64url"))].join(".");
}

/** The plaintext of a box sealed with `key` and the same `aad`; throws when it was altered or is not one. */
export function open(box: string, key: Buffer, aad?: string): Buffer {
  checkKey(key);
  const [version, iv, body, tag, ...rest] = box.split(".");
  if (version !== VERSION || iv === undefined || body === undefined || tag === undefined || rest.length > 0) {
    throw new Error("Not a sealed box");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
}
