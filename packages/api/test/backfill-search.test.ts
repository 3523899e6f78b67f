import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "@users/core/store/client";
import { db } from "@users/core/store/service";
import { config } from "@users/core";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();
const run = promisify(execFile);

/**
 * A user item as stored before search existed: no terms, not counted, no `indexVersion`, and the list
 * index keys of that time (`gsi2pk` by status alone, one `gsi3pk`), written as raw DynamoDB item.
 */
async function legacyUser(firstName: string, status: "active" | "suspended" = "active") {
  const now = new Date().toISOString();
  const userId = randomUUID();
  const { Item } = db().user.put({
    userId,
    email: `${firstName.toLowerCase()}.${userId.slice(0, 8)}@example.com`,
    firstName,
    lastName: "Legacy",
    status,
    roles: ["customer"],
    contacts: [],
    metadata: {},
    passwordHash: "$2b$04$abcdefghijklmnopqrstuuJ2kLZ6c7l6Pj8P3m9Ak3Yk0hQ2n9o1e",
    version: 1,
    createdAt: now,
    updatedAt: now,
    indexShard: 0,
  }).params() as { Item: Record<string, unknown> };
  delete Item.indexShard;
  Object.assign(Item, { gsi2pk: `$users#status_${status}`, gsi2sk: `$user_1#createdat_${now}`, gsi3pk: "$users", gsi3sk: `$user_1#createdat_${now}` });
  await dynamo().send(new PutCommand({ TableName: config().tableName, Item }));
  return userId;
}

const backfill = (stateDir: string) =>
  run("npx", ["tsx", "packages/api/src/cli/backfill-search.ts", "--state", join(stateDir, "state.json"), "--page-size", "3"], {
    cwd: join(__dirname, "../../.."),
    // The test file's table and DynamoDB Local (test-setup.ts configures them in this process only).
    env: { ...process.env, TABLE_NAME: config().tableName, DYNAMODB_ENDPOINT: config().dynamoEndpoint ?? "" },
    timeout: 120_000,
  });

describe("npm run backfill", () => {
  it("indexes and counts users stored before search existed, exactly once", async () => {
    const ids = [await legacyUser("Oldtimer"), await legacyUser("Oldtimer"), await legacyUser("Oldtimer", "suspended")];
    // A legacy user changed before the backfill is indexed by that change.
    await api.request("PATCH", `/v1/users/${ids[0]}`, { body: { lastName: "Touched" } });
    const before = (await api.request("GET", "/v1/users/stats")).body;
    expect((await api.request("GET", "/v1/users?q=oldtimer")).body.items).toHaveLength(1);
    expect((await api.request("GET", "/v1/users?status=suspended&limit=100")).body.items.map((u: { userId: string }) => u.userId)).not.toContain(ids[2]);

    const state = mkdtempSync(join(tmpdir(), "backfill-"));
    const first = await backfill(state);
    expect(first.stdout).toMatch(/indexed 2, already done 0/);

    const after = (await api.request("GET", "/v1/users/stats")).body;
    expect(after.byStatus.active).toBe(before.byStatus.active + 1);
    expect(after.byStatus.suspended).toBe(before.byStatus.suspended + 1);
    expect(after.byRole.customer).toBe(before.byRole.customer + 2);
    const found = await api.request("GET", "/v1/users?q=oldtimer&status=suspended");
    expect(found.body.items.map((u: { userId: string }) => u.userId)).toEqual([ids[2]]);
    expect((await api.request("GET", "/v1/users?q=oldtimer")).body.items).toHaveLength(3);
    // It is moved to the sharded list indexes too.
    const suspended = await api.request("GET", "/v1/users?status=suspended&limit=100");
    expect(suspended.body.items.map((u: { userId: string }) => u.userId)).toContain(ids[2]);

    const again = await backfill(state);
    expect(again.stdout).toMatch(/indexed 0/);
    expect((await api.request("GET", "/v1/users/stats")).body).toEqual(after);
  }, 300_000);
});
