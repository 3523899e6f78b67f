import { Entity, type Schema } from "electrodb";

type ModelCheck = { _validateModel(model: unknown): void };
const checkModel = (Entity.prototype as unknown as ModelCheck)._validateModel;

/**
 * An entity of the single table: ElectroDB's Entity, whose model check (the model against ElectroDB's
 * JSON schema, as each entity is built) runs wherever NODE_ENV is not "production": every test, `npm
 * start` and the CLIs. The models are constants of this code, so a Lambda cold start does not repeat the
 * check: it was about a third of the API's import time (17 entities, docs/benchmark.md). The Lambda
 * bundles are built with NODE_ENV=production and without the validator (infra/esbuild-plugins.mjs), so
 * every entity is built this way (table-entity.test.ts). Typed as ElectroDB's own class,
 * so each entity's type is inferred from its model exactly as ElectroDB's constructor infers it.
 */
class CheckedInDevelopment extends Entity<string, string, string, Schema<string, string, string>> {
  _validateModel(model: unknown): void {
    if (process.env.NODE_ENV !== "production") checkModel.call(this, model);
  }
}

export const TableEntity = CheckedInDevelopment as unknown as typeof Entity;
