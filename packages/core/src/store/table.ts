import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "./client.ts";
import { createTableInput, tableLayout } from "./table-layout.ts";

export { createTableInput, tableLayout };

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
export async function tableIsReachable(tableName: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    await dynamo().send(new GetCommand({ TableName: tableName, Key: { pk: "$readiness", sk: "$probe" } }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}
