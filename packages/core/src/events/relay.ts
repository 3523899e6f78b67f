import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { unescapeKeys } from "../store/plain-keys.ts";
import { AuditEvent, openAuditEvent } from "../audit/index.ts";
import type { Publisher } from "./publisher.ts";
import { AUDIT_ENTITY, ENTITY_ATTRIBUTE } from "./wiring.ts";


/**
 * The part of a DynamoDB stream record the relay reads; both the Lambda event's records and the
 * Streams API's GetRecords records have this shape.
 */
export interface StreamRecord {
  eventID?: string;
  eventName?: string;
  dynamodb?: {
    NewImage?: Record<string, unknown>;
    SequenceNumber?: string;
  };
}

/**
 * DynamoDB Local's stream writes an empty map as `{}` instead of `{ "M": {} }` (DynamoDB's own stream,
 * and so the Lambda event, does not). An attribute value without a type can only be that: repair it.
 */
function repairEmptyMaps(value: AttributeValue): AttributeValue {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, repairEmptyMaps(v)])) };
  if (value.L) return { L: value.L.map(repairEmptyMaps) };
  return value;
}

export class InvalidAuditRecordError extends Error {
  override readonly name = "InvalidAuditRecordError";
}

/**
 * The audit event a stream record announces, or null when the record is not the insert of an audit item
 * (user, claim and other items, modifications, TTL removals). An audit item that does not read as an
 * AuditEvent throws: it must fail loudly (and end in the dead-letter queue), not vanish.
 */
export function auditEventFromRecord(record: StreamRecord): AuditEvent | null {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  if (record.eventName !== "INSERT" || !image) return null;
  if (image[ENTITY_ATTRIBUTE]?.S !== AUDIT_ENTITY) return null;
  let item: Record<string, unknown>;
  try {
    // The stream holds the stored form, map keys escaped as the store writes them (store/plain-keys.ts).
    item = unescapeKeys(unmarshall(Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repairEmptyMaps(v)])))) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidAuditRecordError(`Audit item ${record.dynamodb?.SequenceNumber} cannot be read: ${(error as Error).message}`);
  }
  const parsed = AuditEvent.safeParse({
    eventId: item.eventId,
    type: item.type,
    schemaVersion: item.schemaVersion,
    userId: item.userId,
    occurredAt: item.occurredAt,
    requestId: item.requestId,
    sourceIp: item.sourceIp ?? null,
    actor: item.actor,
    changes: item.changes,
    ...(item.reason !== undefined ? { reason: item.reason } : {}),
  });
  if (!parsed.success) {
    throw new InvalidAuditRecordError(
      `Audit item ${String(item.eventId)} is not a valid AuditEvent: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

export interface RelayFailure {
  /** The stream record's sequence number: Lambda's `batchItemFailures[].itemIdentifier`. */
  sequenceNumber: string;
  eventId?: string;
  type?: string;
  userId?: string;
  errorCode: string;
  errorMessage: string;
}

export interface RelayResult {
  published: AuditEvent[];
  /** Records that are not new audit items. */
  skipped: number;
  /** Records whose event was not published; the stream must deliver them again. */
  failures: RelayFailure[];
}

/**
 * Publishes the audit events among a batch of stream records. Every record is accounted for: published,
 * skipped (not an audit insert) or failed; the caller reports failures back to the stream (Lambda:
 * `batchItemFailures`; local poller: no checkpoint past them) so they are retried.
 */
/**
 * The sealed box of an audit item's personal values, if it has one. Consumers get events in the clear
 * as before: the relay opens the box with the user's data key (an erased user's values stay out).
 */
function sealedBoxOf(record: StreamRecord): string | undefined {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  return image?.sealed?.S;
}

export async function relayRecords(records: StreamRecord[], publisher: Publisher): Promise<RelayResult> {
  const failures: RelayFailure[] = [];
  const sequenceOf = new Map<AuditEvent, string>();
  let skipped = 0;
  // Opened concurrently, kept in stream order.
  const opened = await Promise.all(
    records.map(async (record, index) => {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? record.eventID ?? `#${index}`;
      try {
        const parsed = auditEventFromRecord(record);
        const sealed = parsed ? sealedBoxOf(record) : undefined;
        return { sequenceNumber, event: parsed && sealed ? await openAuditEvent({ ...parsed, sealed }) : parsed };
      } catch (error) {
        return { sequenceNumber, error: error as Error };
      }
    }),
  );
  for (const { sequenceNumber, event, error } of opened) {
    if (error) failures.push({ sequenceNumber, errorCode: error.name, errorMessage: error.message });
    else if (event) sequenceOf.set(event, sequenceNumber);
    else skipped += 1;
  }
  const events = [...sequenceOf.keys()];
  const { published, failed } = events.length > 0 ? await publisher.publish(events) : { published: [], failed: [] };
  for (const { event, errorCode, errorMessage } of failed) {
    failures.push({
      sequenceNumber: sequenceOf.get(event)!,
      eventId: event.eventId,
      type: event.type,
      userId: event.userId,
      errorCode,
      errorMessage,
    });
  }
  return { published, skipped, failures };
}

/** Compares DynamoDB stream sequence numbers (decimal strings of varying length). */
export function compareSequenceNumbers(a: string, b: string): number {
  try {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  } catch {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  }
}
