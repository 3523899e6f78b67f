/**
 * Publishing audit events. The audit items each transaction stores are the outbox; the table's stream
 * carries new ones to a relay that publishes them to EventBridge (in AWS: the relay Lambda; locally: the
 * stream poller inside `npm start`, publishing to a real bus or to in-process subscribers).
 */
export { eventBusName, EVENT_SOURCE } from "./config.ts";
export {
  createPublisher,
  eventBridgeSender,
  toEntry,
  entrySize,
  chunkEntries,
  MAX_ENTRIES_PER_REQUEST,
  MAX_REQUEST_BYTES,
  type Publisher,
  type PublisherOptions,
  type PublishResult,
  type FailedEvent,
  type PutEventsSender,
} from "./publisher.ts";
export {
  auditEventFromRecord,
  relayRecords,
  compareSequenceNumbers,
  streamFilterPattern,
  InvalidAuditRecordError,
  type StreamRecord,
  type RelayResult,
  type RelayFailure,
} from "./relay.ts";
export { LocalEventBus, matchesPattern, type BusEvent, type EventPattern, type Subscriber } from "./dispatch.ts";
export { StreamPoller, type StreamPollerOptions, type RecordsHandler } from "./stream-poller.ts";
export { fileCheckpointStore, memoryCheckpointStore, type CheckpointStore } from "./checkpoint.ts";
export { processOnce, dedupeKey, EventInProgressError, type DedupeOptions, type DedupeOutcome } from "./dedupe.ts";
export { eventJsonSchemas, schemaFileText } from "./json-schemas.ts";
export { AuditEvent, AuditEventType, AuditEventTypes } from "../audit/audit.schema.ts";

import type { AuditEvent } from "../audit/audit.schema.ts";
import type { BusEvent } from "./dispatch.ts";
/** What an EventBridge target (a Lambda, a local subscriber) receives for an audit event. */
export type AuditBusEvent = BusEvent<AuditEvent["type"], AuditEvent>;
