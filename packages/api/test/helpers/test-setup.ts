import { randomUUID } from "node:crypto";
import { inject } from "vitest";

// A fresh table per test file, set before anything reads the configuration.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomUUID()}`;

const { ensureTable } = await import("@users/core");
await ensureTable(process.env.TABLE_NAME);
