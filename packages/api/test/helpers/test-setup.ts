import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { Access, configure, ensureTable } from "@users/core";

// A fresh table and signing key per test file, configured before anything uses the store or the keys.
const { tableName } = configure({
  dynamoEndpoint: inject("dynamoEndpoint"),
  tableName: `test-${randomUUID()}`,
  signingKeys: JSON.stringify([await Access.generateSigningJwk()]),
});
await ensureTable(tableName);
