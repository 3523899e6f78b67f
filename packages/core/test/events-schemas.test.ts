import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditEventTypes, eventJsonSchemas, schemaFileText } from "@users/core/events/index";
import { schemasDir } from "../../../scripts/generate-event-schemas.ts";

describe("the published JSON Schema files (schemas/events)", () => {
  it("match the zod schemas: run `npx tsx scripts/generate-event-schemas.ts` after changing an event", () => {
    const expected = eventJsonSchemas();
    const committed = readdirSync(schemasDir).filter((name) => name.endsWith(".json")).sort();
    expect(committed).toEqual(Object.keys(expected).sort());
    for (const [name, schema] of Object.entries(expected)) {
      expect(readFileSync(join(schemasDir, name), "utf8"), name).toBe(schemaFileText(schema));
    }
  });

  it("have one file per event type, each pinning its type", () => {
    const schemas = eventJsonSchemas();
    for (const type of AuditEventTypes) {
      const schema = schemas[`${type}.json`] as { properties: { type: { const: string } } };
      expect(schema.properties.type.const).toBe(type);
    }
  });
});
