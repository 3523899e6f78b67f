import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The single table's physical layout: generic key attributes that ElectroDB overloads per entity.
 * Plain data: `infra/storage.ts` imports it to declare the table in AWS; `ensureTable` creates it locally.
 */
export const tableLayout = {
  primaryIndex: { partitionKey: "pk", sortKey: "sk" },
  globalIndexes: {
    /** users by email (exact lookup); sessions by id */
    gsi1: { partitionKey: "gsi1pk", sortKey: "gsi1sk", projection: "all" },
    /** users by status, newest first, in 16 shards per status; keys only: a list reads the users it shows */
    gsi2: { partitionKey: "gsi2pk", sortKey: "gsi2sk", projection: "keys-only" },
    /** every live user, newest first, in 16 shards; keys only */
    gsi3: { partitionKey: "gsi3pk", sortKey: "gsi3sk", projection: "keys-only" },
  },
  ttlAttribute: "expiresAt",
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { primaryIndex, globalIndexes } = tableLayout;
  const keyNames = [primaryIndex, ...Object.values(globalIndexes)].flatMap((k) => [k.partitionKey, k.sortKey]);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [
      { AttributeName: primaryIndex.partitionKey, KeyType: "HASH" },
      { AttributeName: primaryIndex.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: Object.entries(globalIndexes).map(([name, key]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: key.partitionKey, KeyType: "HASH" },
        { AttributeName: key.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: key.projection === "all" ? "ALL" : "KEYS_ONLY" },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

