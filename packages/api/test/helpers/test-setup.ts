import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { Access, configure, ensureTable } from "@users/core";
import { generateMasterKey } from "@users/core/keys/index";

// One local master key for the file, in the environment so that the servers and commands a test starts
// as child processes can open the data keys this process makes (and the other way round).
process.env.MASTER_KEY ??= generateMasterKey();

// A fresh table and signing key per test file, configured before anything uses the store or the keys.
const { tableName } = configure({
  dynamoEndpoint: inject("dynamoEndpoint"),
  tableName: `test-${randomUUID()}`,
  signingKeys: JSON.stringify([await Access.generateSigningJwk()]),
  // DynamoDB Local on a loaded machine can hold a transaction for seconds (lock waits): in-process tests
  // are about behaviour, not deadlines (store-stall.test.ts tests those in a server of its own).
  awsAttemptTimeoutMs: 30_000,
});
await ensureTable(tableName);
