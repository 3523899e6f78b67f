import { createHash } from "node:crypto";
import { db } from "../store/service.ts";
import { REQUESTS_PER_HOUR } from "../mail/index.ts";

const WINDOW_MS = 60 * 60 * 1000;

export const quotaKey = (purpose: string, address: string) =>
  createHash("sha256").update(`${purpose}\n${address}`, "utf8").digest("hex");

/**
 * Counts one request for `address` and says whether it is within REQUESTS_PER_HOUR in the last hour
 * (a sliding window). A request over the limit is not counted. Concurrent requests re-read and retry,
 * so no more than the limit are admitted.
 */
export async function admitRequest(purpose: string, address: string): Promise<boolean> {
  const entity = db().requestQuota;
  const key = quotaKey(purpose, address);
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = Date.now();
    const { data } = await entity.get({ quotaKey: key }).go({ consistent: true });
    const recent = (data?.requestedAt ?? []).filter((at) => at > now - WINDOW_MS);
    if (recent.length >= REQUESTS_PER_HOUR) return false;
    const revision = (data?.revision ?? 0) + 1;
    try {
      await entity
        .put({ quotaKey: key, requestedAt: [...recent, now], revision, expiresAt: Math.ceil((now + WINDOW_MS) / 1000) })
        .where((attr, { eq, notExists }) => (data ? eq(attr.revision, data.revision) : notExists(attr.revision)))
        .go();
      return true;
    } catch (error) {
      if ((error as { cause?: { name?: string } }).cause?.name !== "ConditionalCheckFailedException") throw error;
    }
  }
  return false;
}
