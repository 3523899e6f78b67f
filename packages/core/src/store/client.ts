import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { awsClientDeadlines } from "../aws-deadlines.ts";
import { config } from "../config.ts";
import { traced } from "../observability/tracer.ts";
import { keepPlainKeys } from "./plain-keys.ts";

let base: DynamoDBClient | undefined;
let client: DynamoDBDocumentClient | undefined;

/** One DynamoDB client per process, reused by every request (connections are kept alive). */
export function dynamo(): DynamoDBDocumentClient {
  if (!client) {
    const { dynamoEndpoint, region } = config();
    base = traced(new DynamoDBClient({
      region,
      endpoint: dynamoEndpoint,
      ...awsClientDeadlines(),
      // DynamoDB Local accepts any credentials; AWS uses the function's role.
      ...(dynamoEndpoint ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    }));
    // The SDK's logger middleware filters every input and output for a logger that is a no-op here.
    base.middlewareStack.remove("loggerMiddleware");
    client = DynamoDBDocumentClient.from(base, {
      // convertClassInstanceToMap: a map whose keys are data (user metadata with a `constructor` key, or
      // one without a prototype) is still a map; without it the marshaller takes it for a class instance.
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
    keepPlainKeys(client);
  }
  return client;
}

/** The plain client under `dynamo()`, for libraries that want one (Powertools idempotency). */
export function dynamoBaseClient(): DynamoDBClient {
  dynamo();
  return base!;
}
