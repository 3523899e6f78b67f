/**
 * Writes schemas/asyncapi.json: an AsyncAPI 3 document of the audit events the service publishes to
 * EventBridge, built from the same JSON Schemas as schemas/events/ (`npm run generate:asyncapi`, also
 * run by `npm run generate:event-schemas`). packages/core/test/asyncapi.test.ts fails while it is stale
 * and parses it with @asyncapi/parser.
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditEventTypes, EVENT_SOURCE, eventJsonSchemas, schemaFileText } from "@users/core/events/index";

export const asyncApiFile = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", "schemas"), "asyncapi.json");

type JsonSchema = Record<string, unknown> & { $defs?: Record<string, unknown> };

/** `#/$defs/X` inside one schema file becomes `#/components/schemas/X` of the AsyncAPI document. */
function relocateRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}

export function asyncApiDocument(): Record<string, unknown> {
  const files = eventJsonSchemas();
  const schemas: Record<string, unknown> = {};
  const payloadOf = (file: string) => {
    const { $schema: _schema, $defs, title: _title, ...schema } = files[file] as JsonSchema;
    Object.assign(schemas, relocateRefs($defs ?? {}));
    return relocateRefs(schema);
  };
  const messages = Object.fromEntries(
    AuditEventTypes.map((type) => [
      type,
      {
        name: type,
        title: type,
        summary: (files[`${type}.json`] as JsonSchema).description,
        contentType: "application/json",
        payload: payloadOf(`${type}.json`),
      },
    ]),
  );
  schemas.AuditEvent = payloadOf("AuditEvent.json");
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Users service events",
      version: "1.0.0",
      description:
        `Every change to a user is recorded as an audit event and published to the service's EventBridge bus at least once: ` +
        `Source "${EVENT_SOURCE}", DetailType the event type, Detail the event JSON (the payloads below). ` +
        "Consumers deduplicate on eventId and ignore fields they do not know.",
    },
    defaultContentType: "application/json",
    servers: {
      eventBridge: {
        host: "events.{region}.amazonaws.com",
        protocol: "https",
        description: "Amazon EventBridge; the bus is the stage's `Bus` (SST output), EVENT_BUS_NAME of the relay.",
        variables: { region: { description: "The stage's AWS region.", default: "us-east-1" } },
      },
    },
    channels: {
      auditEvents: {
        address: EVENT_SOURCE,
        title: "Audit events",
        description: `Events with Source "${EVENT_SOURCE}" on the service's bus; match them with an EventBridge rule on source and detail-type.`,
        messages: Object.fromEntries(AuditEventTypes.map((type) => [type, { $ref: `#/components/messages/${type}` }])),
      },
    },
    operations: {
      receiveAuditEvents: {
        action: "receive",
        title: "Receive audit events",
        summary: "An EventBridge rule on the bus delivers matching events to a consumer.",
        channel: { $ref: "#/channels/auditEvents" },
        messages: AuditEventTypes.map((type) => ({ $ref: `#/channels/auditEvents/messages/${type}` })),
      },
    },
    components: { messages, schemas },
  };
}

export function asyncApiText(): string {
  return schemaFileText(asyncApiDocument());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(asyncApiFile, asyncApiText());
  console.log(`Wrote ${asyncApiFile}`);
}
