import { DynamoDBClient, ScanCommand, type AttributeValue, type ScanCommandOutput } from "@aws-sdk/client-dynamodb";
import { config } from "../../../packages/core/src/index.ts";

/**
 * Every item of the test file's table that mentions `containing`, as raw attribute values: what a
 * DynamoDB stream image holds, and what a bundled stream handler is given.
 */
export async function rawItems(containing: string): Promise<Record<string, AttributeValue>[]> {
  const client = new DynamoDBClient({
    endpoint: config().dynamoEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const items: Record<string, AttributeValue>[] = [];
  try {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page: ScanCommandOutput = await client.send(new ScanCommand({ TableName: config().tableName, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return items.filter((item) => JSON.stringify(item).includes(containing));
}

/** The INSERT record of `image` as Lambda delivers it from the table's stream (NEW_AND_OLD_IMAGES). */
export function streamInsert(image: Record<string, AttributeValue>, sequence: number) {
  return {
    eventID: `record-${sequence}`,
    eventName: "INSERT",
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: { pk: image.pk, sk: image.sk },
      NewImage: image,
      SequenceNumber: `${sequence}000000000000000000000`,
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${config().tableName}/stream/2026-01-01T00:00:00.000`,
  };
}
