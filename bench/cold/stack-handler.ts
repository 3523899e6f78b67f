/**
 * Three of the API's libraries alone, answering as the API answers `GET /health` at a cold start: Hono's Lambda
 * adapter (which builds a fetch `Request`, so Node loads undici), ElectroDB (which `require`s the AWS SDK's
 * DynamoDB document client whole) and one DynamoDB call through that client, as the API's rate limiter
 * makes one. What a cold start costs before the service's own code and its other libraries (tRPC, zod,
 * jose, Powertools): a floor under the API's figure that no change to the service can go below.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
// Loaded for what loading it costs (its require of the SDK); the call below does not go through it.
import "electrodb";
import { Hono } from "hono";
import { handle } from "hono/aws-lambda";

const app = new Hono();
let client: DynamoDBDocumentClient | undefined;

app.get("/health", async (c) => {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: process.env.AWS_REGION, ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}) }),
  );
  await client
    .send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: "cold-start", sk: "cold-start" },
        UpdateExpression: "ADD calls :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    )
    .catch(() => undefined);
  return c.json({ status: "ok" });
});

export const handler = handle(app);
