// What `jsonschema` resolves to inside ElectroDB in the Lambda bundles (infra/esbuild-plugins.mjs).
// ElectroDB checks entity models against a JSON schema with it: a development check the bundles skip
// (NODE_ENV=production; packages/core/src/store/entities/table-entity.ts). Its Service also asks
// "is this a model?" of every entity it joins by running that check and catching the failure, which an
// error here answers at once (no) instead of after ~40 ms of validating 17 entities at the first request.
export class Validator {
  addSchema() {}
  validate() {
    throw new Error("ElectroDB's model check is not bundled: models are checked outside production (TableEntity)");
  }
}
Validator.prototype.customFormats = {};
