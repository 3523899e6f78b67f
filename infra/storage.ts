import { tableLayout } from "../packages/core/src/store/table-layout";
import { isProductionStage } from "./stage";

const production = isProductionStage($app.stage);
const { primaryIndex, globalIndexes, ttlAttribute } = tableLayout;

/**
 * The single table, declared from the same layout the code uses locally. Every GSI is declared here
 * at creation: DynamoDB adds only one GSI per update, so adding several later takes several deploys.
 * On-demand billing (SST's default): nothing is paid for an idle table but storage.
 */
export const table = new sst.aws.Dynamo("Table", {
  fields: Object.fromEntries(
    [primaryIndex, ...Object.values(globalIndexes)].flatMap((key) => [
      [key.partitionKey, "string" as const],
      [key.sortKey, "string" as const],
    ]),
  ),
  primaryIndex: { hashKey: primaryIndex.partitionKey, rangeKey: primaryIndex.sortKey },
  globalIndexes: Object.fromEntries(
    Object.entries(globalIndexes).map(([name, key]) => [
      name,
      { hashKey: key.partitionKey, rangeKey: key.sortKey, projection: key.projection },
    ]),
  ),
  // The audit relay reads audit items from the stream; both images let it tell inserts from updates.
  stream: "new-and-old-images",
  ttl: ttlAttribute,
  deletionProtection: production,
  transform: {
    table: (args, opts) => {
      // Point-in-time recovery is SST's default; kept explicit because losing users is not an option.
      args.pointInTimeRecovery = { enabled: true };
      if (production) {
        // Keep the table even if the resource is dropped from the code or the stage removed.
        opts.retainOnDelete = true;
        opts.protect = true;
      }
    },
  },
});
