import { open, seal, userDataKey } from "../keys/index.ts";
import type { AuditChanges, AuditEvent } from "./audit.schema.ts";
import { PersonalFields } from "../user-vocabulary.ts";

/**
 * The changes whose values are the person's own, sealed with their data key so that erasure (which
 * destroys the key) makes them unreadable while the event itself is kept. `sourceIp` is sealed too.
 */
const personal = new Set<string>(PersonalFields);

declare const sealedBrand: unique symbol;

/**
 * An audit event ready to store: its personal values moved into `sealed` (absent when it has none).
 * `putAuditEvent` takes only this, so no event reaches the table with a person's values in the clear.
 */
export type SealedAuditEvent = Omit<AuditEvent, "sourceIp"> & { sourceIp: null; sealed?: string; [sealedBrand]: true };

/** What the box holds. */
interface PersonalPart {
  changes: AuditChanges;
  sourceIp: string | null;
}

function split(event: AuditEvent): { kept: AuditChanges; part: PersonalPart | null } {
  const kept: AuditChanges = {};
  const changes: AuditChanges = {};
  for (const [field, change] of Object.entries(event.changes)) {
    if (personal.has(field)) changes[field] = change;
    else kept[field] = change;
  }
  const part = Object.keys(changes).length > 0 || event.sourceIp ? { changes, sourceIp: event.sourceIp } : null;
  return { kept, part };
}

/** The aad of an event's box: it opens only as that event of that user. */
const aadOf = (event: Pick<AuditEvent, "eventId" | "userId">) => `audit:${event.userId}:${event.eventId}`;

/**
 * Seals an event's personal values with its user's data key: `key` when the caller holds it (a new
 * user's), else the stored one (made now for users from before encryption existed).
 */
export async function sealAuditEvent(event: AuditEvent, key?: Buffer): Promise<SealedAuditEvent> {
  const { kept, part } = split(event);
  const base = { ...event, changes: kept, sourceIp: null } as SealedAuditEvent;
  if (!part) return base;
  const dataKey = key ?? (await userDataKey(event.userId, { create: true }))!;
  return { ...base, sealed: seal(JSON.stringify(part), dataKey, aadOf(event)) };
}

/** A stored event as read: a box of personal values, or (written before encryption) plain ones. */
export type StoredAuditEvent = AuditEvent & { sealed?: string };

/**
 * The event with its personal values back in place. When the user's key is gone (erased) they stay
 * out: the event is returned without them.
 */
export async function openAuditEvent(stored: StoredAuditEvent, key?: Buffer | null): Promise<AuditEvent> {
  const { sealed, ...event } = stored;
  if (!sealed) return event;
  const dataKey = key === undefined ? await userDataKey(event.userId, { create: false }) : key;
  if (!dataKey) return event;
  const part = JSON.parse(open(sealed, dataKey, aadOf(event)).toString("utf8")) as PersonalPart;
  return { ...event, sourceIp: part.sourceIp, changes: { ...event.changes, ...part.changes } };
}

/** Whether a stored event still carries personal values in the clear (written before encryption). */
export function hasPlainPersonalValues(stored: StoredAuditEvent): boolean {
  return !stored.sealed && split(stored).part !== null;
}
