/**
 * Publishing audit events. The audit items each transaction stores are the outbox; the table's stream
 * carries new ones to a relay that publishes them to EventBridge (in AWS: the relay Lambda; locally: the
 * stream poller of `npm start`, in packages/api/src/local/, publishing to a real bus or to in-process
 * subscribers).
 */
export { EVENT_SOURCE, AUDIT_ENTITY, ENTITY_ATTRIBUTE, streamFilterPattern, adminGrantPattern } from "./wiring.ts";
export {
  createPublisher,
  eventBridgeSender,
  eventBusName,
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
  InvalidAuditRecordError,
  type StreamRecord,
  type RelayResult,
  type RelayFailure,
} from "./relay.ts";
export { processOnce, EventInProgressError, type DedupeOptions, type DedupeOutcome } from "./dedupe.ts";
export { eventJsonSchemas, schemaFileText } from "./json-schemas.ts";
export { AuditEvent, AuditEventType, AuditEventTypes } from "../audit/index.ts";
