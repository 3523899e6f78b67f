/**
 * Writes the JSON Schema files of the published events into schemas/events/, from the zod schemas in
 * @users/core (`npx tsx scripts/generate-event-schemas.ts`). Run it after changing an event schema and
 * commit the result; `packages/core/test/events-schemas.test.ts` fails while the files are stale.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { eventJsonSchemas, schemaFileText } from "@users/core/events/index";

export const schemasDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "schemas", "events");

export function writeEventSchemas(dir = schemasDir): string[] {
  const files = eventJsonSchemas();
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".json") && !(name in files)) rmSync(join(dir, name));
  }
  for (const [name, schema] of Object.entries(files)) writeFileSync(join(dir, name), schemaFileText(schema));
  return Object.keys(files);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = writeEventSchemas();
  console.log(`Wrote ${written.length} schemas to ${schemasDir}`);
}
