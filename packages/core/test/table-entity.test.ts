import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TableEntity } from "../src/store/entities/table-entity.ts";

// A model only ElectroDB's JSON-schema check refuses (`required` must be a boolean): built without the
// check, it would make an entity that quietly treats the attribute as optional.
const model = {
  model: { entity: "probe", version: "1", service: "users" },
  attributes: { id: { type: "string", required: true }, note: { type: "string", required: "yes" } },
  indexes: { byId: { pk: { field: "pk", composite: ["id"] }, sk: { field: "sk", composite: [] } } },
} as const;

describe("TableEntity: ElectroDB's model check outside production only", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("checks the model wherever NODE_ENV is not production (tests, npm start, CLIs)", () => {
    vi.stubEnv("NODE_ENV", "test");
    expect(() => new TableEntity(model as never, { table: "t" })).toThrow("instance.attributes.note.required is not of a type(s) boolean");
  });

  it("skips it in production (the Lambda bundles), where the entity works as ElectroDB builds it", () => {
    vi.stubEnv("NODE_ENV", "production");
    const entity = new TableEntity(model as never, { table: "t" });
    expect(entity.get({ id: "a" } as never).params()).toMatchObject({ Key: { pk: "$users#id_a", sk: "$probe_1" } });
  });

  it("is how every entity of the service is built: the Lambda bundles carry no model check for a plain `new Entity`", () => {
    const src = join(import.meta.dirname, "..", "src");
    const sources = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".ts"))
      .map((name) => ({ name, text: readFileSync(join(src, name), "utf8") }));
    expect(sources.filter(({ text }) => /\bnew Entity\(/.test(text)).map(({ name }) => name)).toEqual([]);
    expect(sources.filter(({ text }) => /\bnew TableEntity\(/.test(text)).length).toBeGreaterThanOrEqual(17);
  });
});
