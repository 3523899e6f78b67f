import { db } from "../store/service.ts";
import { hasPlainPersonalValues, sealAuditEvent, storedAuditEvent } from "../audit/index.ts";

type StoredItem = Parameters<typeof storedAuditEvent>[0];

/**
 * Seals the personal values of one audit item written before encryption existed, in place (only if it
 * is still unsealed, so running twice or alongside another run is harmless). Returns whether it did.
 */
export async function sealStoredAuditItem(item: StoredItem, key: Buffer): Promise<boolean> {
  const event = storedAuditEvent(item);
  if (!hasPlainPersonalValues(event)) return false;
  const sealed = await sealAuditEvent(event, key);
  if (!sealed.sealed) return false;
  return db().auditEvent.patch({ userId: item.userId, eventId: item.eventId })
    .set({ sealed: sealed.sealed, changes: sealed.changes })
    .remove(["sourceIp"])
    .where(({ sealed: box }, { notExists }) => notExists(box))
    .go()
    .then(() => true)
    .catch((error: { cause?: { name?: string } }) => {
      if (error.cause?.name === "ConditionalCheckFailedException") return false;
      throw error;
    });
}

/** Seals every plain audit event of one user (before erasure destroys their key). */
export async function sealPlainAuditEvents(userId: string, key: Buffer): Promise<number> {
  let sealed = 0;
  let cursor: string | null = null;
  do {
    const page: { data: StoredItem[]; cursor: string | null } = await db().auditEvent.query
      .byUser({ userId })
      .go({ cursor, limit: 200, consistent: true });
    for (const item of page.data) if (await sealStoredAuditItem(item, key)) sealed += 1;
    cursor = page.cursor;
  } while (cursor);
  return sealed;
}
