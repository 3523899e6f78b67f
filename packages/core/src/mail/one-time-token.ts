import { createHash, randomBytes } from "node:crypto";
import { AppError } from "../errors.ts";
import type { StoredOneTimeToken, TokenPurpose } from "../store/entities/one-time-token.entity.ts";
import { db } from "../store/service.ts";

export const invalidToken = () =>
  new AppError("INVALID_TOKEN", "This link is not valid: it was already used, has expired or never existed.");

/** 256 random bits, base64url: what the link carries. */
export function newTokenSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The only form in which a token is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Spends a token: one conditional delete of the item with this hash, for this purpose, not yet expired.
 * Whoever deletes it first gets it; a second use, an unknown token, a token of another purpose and an
 * expired one (TTL deletion is lazy) are all INVALID_TOKEN and change nothing.
 */
export async function spendToken(token: string, purpose: TokenPurpose): Promise<StoredOneTimeToken> {
  const now = nowSeconds();
  try {
    const { data } = await db()
      .oneTimeToken.remove({ tokenHash: hashToken(token) })
      .where((attr, { eq, gt }) => `${eq(attr.purpose, purpose)} AND ${gt(attr.expiresAt, now)}`)
      .go({ response: "all_old" });
    if (!data) throw invalidToken();
    return data;
  } catch (error) {
    if (isConditionFailure(error)) throw invalidToken();
    throw error;
  }
}

function isConditionFailure(error: unknown): boolean {
  const cause = (error as { cause?: { name?: string } }).cause;
  return cause?.name === "ConditionalCheckFailedException";
}
