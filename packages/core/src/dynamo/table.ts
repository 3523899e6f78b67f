import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "./client.ts";

/**
 * The single table's physical layout: generic key attributes that ElectroDB overloads per entity.
 * `infra/storage.ts` declares the same layout for AWS; `ensureTable` creates it locally.
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

/** Creates the table (and its TTL setting) if it does not exist yet. Returns true when it created it. */
export async function ensureTable(tableName: string): Promise<boolean> {
  const client = dynamo();
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    // Another process created it between our describe and create.
    if ((error as Error).name === "ResourceInUseException") return false;
    throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableLayout.ttlAttribute, Enabled: true },
    }),
  );
  return true;
}

/**
 * True when the table answers a read: what `/ready` reports. A point read of a key that never exists
 * is a data-plane call (no DescribeTable rate limit) and needs only the read permission the API has.
 */
export async function tableIsReachable(tableName: string): Promise<boolean> {
  try {
    await dynamo().send(new GetCommand({ TableName: tableName, Key: { pk: "$readiness", sk: "$probe" } }));
    return true;
  } catch {
    return false;
  }
}
