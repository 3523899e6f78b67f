import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Refresh tokens are opaque to clients: `<base64url(userId:sessionId)>.<256 random bits>`. Only the
 * SHA-256 of the random part is stored.
 */
export interface RefreshToken {
  userId: string;
  sessionId: string;
  secret: string;
}

export function newRefreshToken(userId: string, sessionId: string): { token: string; secret: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${Buffer.from(`${userId}:${sessionId}`).toString("base64url")}.${secret}`, secret };
}

export function parseRefreshToken(token: string): RefreshToken | null {
  const [head, secret, ...rest] = token.split(".");
  if (!head || !secret || rest.length > 0 || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const [userId, sessionId, ...more] = Buffer.from(head, "base64url").toString("utf8").split(":");
  const uuid = /^[0-9a-f-]{36}$/;
  if (!userId || !sessionId || more.length > 0 || !uuid.test(userId) || !uuid.test(sessionId)) return null;
  return { userId, sessionId, secret };
}

export const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export function sameHash(a: string, b: string | undefined): boolean {
  return b !== undefined && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A key only the holder of `secret` can derive: the grace-window copy of the next pair is sealed with it. */
function keyFrom(secret: string, sessionId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, sessionId, "refresh-grace-window", 32));
}

export function seal(value: unknown, secret: string, sessionId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(secret, sessionId), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

export function unseal<T>(box: string, secret: string, sessionId: string): T | null {
  try {
    const [iv, body, tag] = box.split(".").map((part) => Buffer.from(part, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(secret, sessionId), iv!);
    decipher.setAuthTag(tag!);
    return JSON.parse(Buffer.concat([decipher.update(body!), decipher.final()]).toString("utf8")) as T;
  } catch {
    return null;
  }
}
