import { ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import { config } from "@users/core";
import { dynamo } from "@users/core/store/client";

/** Every item of the test file's table, as the document client reads it (consistent, all pages). */
export async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await dynamo().send(new ScanCommand({ TableName: config().tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
