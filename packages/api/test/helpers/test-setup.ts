import { randomUUID } from "node:crypto";
import { inject } from "vitest";

// A fresh table and signing key per test file, set before anything reads the configuration.
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomUUID()}`;

const { ensureTable, Auth } = await import("@users/core");
process.env.TOKEN_SIGNING_KEYS ??= JSON.stringify([await Auth.generateSigningJwk()]);
await ensureTable(process.env.TABLE_NAME);
