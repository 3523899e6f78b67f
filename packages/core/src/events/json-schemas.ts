import * as z from "zod";
import { AuditEvent, AuditEventTypes } from "../audit/index.ts";
import { EVENT_SOURCE } from "./wiring.ts";

/**
 * The JSON Schema files published in `schemas/events/` for consumers that are not TypeScript: the
 * `detail` of every event (`AuditEvent.json`) and of each detail-type (`user.role_added.json`, …).
 * Generated from the zod schemas by `scripts/generate-event-schemas.ts`; a test fails if they drift.
 *
 * They describe the input side ("what a valid event looks like"), so objects do not forbid additional
 * properties: fields may be added to an event within a schemaVersion, and consumers must ignore them.
 */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  const render = (schema: z.ZodType, title: string, description: string) => ({
    ...z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }),
    title,
    description,
  });
  const files: Record<string, Record<string, unknown>> = {
    "AuditEvent.json": render(
      AuditEvent,
      "AuditEvent",
      `The detail of every event the users service publishes (Source "${EVENT_SOURCE}", DetailType = type). Delivered at least once: deduplicate on eventId.`,
    ),
  };
  for (const type of AuditEventTypes) {
    files[`${type}.json`] = render(
      AuditEvent.extend({ type: z.literal(type) }),
      type,
      `The detail of a "${type}" event (Source "${EVENT_SOURCE}", DetailType "${type}"). Delivered at least once: deduplicate on eventId.`,
    );
  }
  return files;
}

/** A schema file's text: two-space JSON with a final newline. */
export const schemaFileText = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;
