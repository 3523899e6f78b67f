import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../src/local/dynamodb-local.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One DynamoDB Local, in memory, on a free port, for the whole run (or the one DYNAMODB_ENDPOINT names). */
export default async function setup(project: TestProject) {
  if (process.env.DYNAMODB_ENDPOINT) {
    project.provide("dynamoEndpoint", process.env.DYNAMODB_ENDPOINT);
    return;
  }
  const dynamoDb = await startDynamoDbLocal({ port: 0, dataDir: null });
  project.provide("dynamoEndpoint", dynamoDb.endpoint);
  return () => dynamoDb.stop();
}
