/**
 * The DynamoDB floor of each scenario: the same reads and writes the service issues for one request
 * (found by reading packages/core), sent directly with the AWS SDK's DynamoDBDocumentClient configured
 * as packages/core/src/dynamo/client.ts configures it (minus the X-Ray capture), with parameters built
 * by the same ElectroDB entities so keys, filters, conditions and item sizes match. No HTTP, no
 * validation, no tokens, no bcrypt. The reads the service sends through its lean read client (the auth
 * state and users by id, a list's index queries: `dynamoReads` in core) go through one configured the
 * same way here (DynamoDB's item format, middleware resolved once per command), so the ratio stays the
 * service's own overhead.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { BatchGetCommand, DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { INDEX_SHARDS } from "@users/core/store/index-shards";
import { TALLY_SHARDS } from "@users/core/stats/tally";
import { termPartitions } from "@users/core/search/search-terms";
import { evenShare } from "@users/core/search/shard-merge";
import { auditEvent, putAuditEvent } from "@users/core/audit/audit.record";
import { sealAuditEvent } from "@users/core/audit/audit.seal";
import { sessionEntry } from "@users/core/access/auth-state";
import { hashSecret } from "@users/core/access/refresh-token";
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, QueryCommand as QueryItemsCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { config } from "@users/core";
import { db, store } from "@users/core/store/service";
import type { StoredUser } from "@users/core/store/entities/user.entity";
import { counterSteps, prepareChange } from "@users/core/user/user.write";
import { diffUsers, toUser } from "@users/core/user/user.view";
import { tokenMailTransaction } from "@users/core/mail/mail.outbox";

let client: DynamoDBDocumentClient | undefined;
let lean: DynamoDBClient | undefined;
const baseClient = (cacheMiddleware: boolean) => {
  const endpoint = config().dynamoEndpoint;
  return new DynamoDBClient({
    region: process.env.AWS_REGION || "us-east-1",
    endpoint,
    maxAttempts: 3,
    cacheMiddleware,
    ...(endpoint ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
};
function plainClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(baseClient(false), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}
const send = (command: any): Promise<any> => plainClient().send(command);
const sendLean = (command: any): Promise<any> => (lean ??= baseClient(true)).send(command);

/** A GetItem as the service's lean read client sends it: ElectroDB's key, DynamoDB's item format. */
async function readItem(params: { TableName: string; Key: Record<string, unknown>; ConsistentRead?: boolean }) {
  const { Item } = await sendLean(new GetItemCommand({ TableName: params.TableName, Key: marshall(params.Key), ConsistentRead: params.ConsistentRead }));
  return Item ? unmarshall(Item) : undefined;
}
const LOGIN_WINDOW_SECONDS = 15 * 60;

/** Authenticated request: the consistent auth-state read every bearer token costs (Auth.authenticate). */
export function authCheck(userId: string) {
  return readItem(db().authState.get({ userId }).params({ consistent: true }) as never);
}

/** GET /v1/users/{id}, /trpc/users.get, /v1/auth/me: auth state (consistent), then the user (eventual). */
export async function getById(callerId: string, userId: string) {
  await authCheck(callerId);
  if (!(await readItem(db().user.get({ userId }).params() as never))) throw new Error("floor: user not found");
}

/**
 * GET /v1/users?status=…&limit=50: auth state, then one query of the sort keys on each of the 16 shards
 * of gsi2, each asked for its even share of 51 (from `position`, a `createdAt#userId` key, when given;
 * the service refills a shard that runs out, about one page in 200), then the 50 newest users by
 * BatchGetItem; beside them, the total's tally shards.
 */
export async function listPage(callerId: string, status: string, position?: string, withTotal = true) {
  await authCheck(callerId);
  // The page's total (a list filtered by status alone has one; a search has none): one consistent
  // BatchGetItem of the tally shards, beside the shard queries, as User.list reads it (core/src/stats).
  const tallies = withTotal ? db().userTally.get(Array.from({ length: TALLY_SHARDS }, (_, shard) => ({ shard }))).params({ consistent: true }) : [];
  const total = Promise.all((tallies as unknown as object[]).map((params) => send(new BatchGetCommand(params as never))));
  const pages = await Promise.all(
    Array.from({ length: INDEX_SHARDS }, (_, shard) =>
      sendLean(
        new QueryItemsCommand({
          TableName: config().tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND gsi2sk BETWEEN :low AND :high",
          ExpressionAttributeValues: marshall({ ":pk": `$users#status#${status}#${shard}`, ":low": " ", ":high": position ?? "\u{10FFFF}" }),
          ProjectionExpression: "gsi2sk",
          ScanIndexForward: false,
          Limit: evenShare(51, INDEX_SHARDS),
        }),
      ),
    ),
  );
  const keys = pages.flatMap((page) => (page.Items ?? []).map((item: Record<string, { S: string }>) => item.gsi2sk!.S)).sort().reverse().slice(0, 50);
  if (keys.length === 0) throw new Error("floor: empty page");
  const ids = keys.map((key) => key.slice(key.lastIndexOf("#") + 1));
  const users = await sendLean(
    new BatchGetItemCommand({ RequestItems: { [config().tableName]: { Keys: ids.map((userId) => marshall(db().user.get({ userId }).params().Key)), ConsistentRead: true } } }),
  );
  for (const item of users.Responses?.[config().tableName] ?? []) unmarshall(item);
  await total;
}

/**
 * POST /v1/users (self sign-up, no bcrypt): the two transactions the service commits, with items built
 * by core's own builders: the user's (user, email claim, auth state, data key, audit event, search
 * terms, a tally shard: `prepareChange` and `counterSteps`), then the verification mail's (token,
 * outbox message, two erasure pointers: `tokenMailTransaction`).
 */
export async function create(tag: string) {
  const now = new Date().toISOString();
  const userId = randomUUID();
  const next: StoredUser = {
    userId,
    email: `floor.${tag}.${userId}@example.com`,
    firstName: "Ada",
    lastName: "Lovelace",
    status: "active",
    emailVerified: false,
    roles: ["customer"],
    contacts: [],
    metadata: {},
    passwordHash: "$2b$12$abcdefghijklmnopqrstuuMYWzCBQ3H8tD4nuDOyD7oqUVz2PNfwe",
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const prepared = await prepareChange(null, { next, event: { type: "user.created", changes: diffUsers(null, toUser(next)) } });
  const steps = [...prepared.steps, ...counterSteps(prepared.counters)];
  await send(new TransactWriteCommand(store().transaction.write((e) => steps.map((step) => step.item(e))).params() as never));
  prepared.committed(); // the new key is remembered, as after the service's commit
  await send(new TransactWriteCommand((await tokenMailTransaction("verify-email", prepared.next)).params() as never));
}

/**
 * POST /v1/auth/login for a user with no failures: count the attempt (update, all new) and peek at the
 * IP's failures while reading the email claim, then the user (both consistent); the auth state
 * (consistent; the service reads it while bcrypt runs); then the session, auth-state entry, lastLoginAt
 * (a patch: version and updatedAt stay) and the login event in one transaction, beside the reset of the
 * count.
 */
export async function login(user: { userId: string; email: string }, sourceIp: string) {
  const now = Date.now();
  await Promise.all([
    send(
      new UpdateCommand(
        db().loginAttempts.update({ kind: "email", value: user.email })
          .add({ attempts: 1 })
          .data((a: any, { ifNotExists }: any) => {
            ifNotExists(a.windowStartedAt, now);
            ifNotExists(a.expiresAt, Math.ceil(now / 1000) + LOGIN_WINDOW_SECONDS);
          })
          .params({ response: "all_new" }) as never,
      ),
    ),
    send(new GetCommand(db().loginAttempts.get({ kind: "ip", value: sourceIp }).params({ consistent: true }) as never)),
    (async () => {
      await send(new GetCommand(db().claim.get({ kind: "email", value: user.email }).params({ consistent: true }) as never));
      await send(new GetCommand(db().user.get({ userId: user.userId }).params({ consistent: true }) as never));
    })(),
  ]);
  await authCheck(user.userId);
  const sessionId = randomUUID();
  const at = new Date().toISOString();
  const expiresAt = Math.floor(Date.now() / 1000) + 7 * 24 * 3600;
  const event = await sealAuditEvent(auditEvent("auth.login_succeeded", user.userId, {}, { occurredAt: at }));
  const params = store().transaction
    .write((e: any) => [
      e.session
        .create({
          sessionId,
          userId: user.userId,
          refreshHash: hashSecret(randomBytes(32).toString("base64url")),
          createdAt: at,
          lastUsedAt: at,
          userAgent: "autocannon",
          ip: sourceIp,
          expiresAt,
        })
        .commit(),
      e.authState
        .update({ userId: user.userId })
        .add({ sessions: [sessionEntry(sessionId, expiresAt)] })
        .where(({ status }: any, { eq }: any) => eq(status, "active"))
        .commit(),
      e.user.patch({ userId: user.userId }).set({ lastLoginAt: at }).commit(),
      putAuditEvent(e, event),
    ])
    .params();
  await Promise.all([
    send(new TransactWriteCommand(params as never)),
    send(new DeleteCommand(db().loginAttempts.delete({ kind: "email", value: user.email }).params() as never)),
  ]);
}

/**
 * POST /v1/auth/refresh: the session and the auth state (both consistent, in parallel); the rotation
 * (conditional on the hash just read, adding the used hash and a sealed grace copy); then the user.
 */
export async function refresh(userId: string, sessionId: string) {
  const [{ Item: session }] = await Promise.all([
    send(new GetCommand(db().session.get({ userId, sessionId }).params({ consistent: true }) as never)),
    authCheck(userId),
  ]);
  if (!session) throw new Error("floor: no session");
  const presented = session.refreshHash as string;
  await send(
    new UpdateCommand(
      db().session.patch({ userId, sessionId })
        .set({
          refreshHash: hashSecret(randomBytes(32).toString("base64url")),
          previousHash: presented,
          rotatedAt: Date.now(),
          // The sealed grace copy is ~1 KB (an access token and a refresh token, encrypted).
          graceBox: randomBytes(760).toString("base64url"),
          lastUsedAt: new Date().toISOString(),
          userAgent: "autocannon",
          ip: "127.0.0.1",
        })
        .add({ usedHashes: [presented] })
        .where(({ refreshHash }: any, { eq }: any) => eq(refreshHash, presented))
        .params() as never,
    ),
  );
  await readItem(db().user.get({ userId }).params() as never);
}

/**
 * Read units of one page (limit 50) of each read the service issues for it, from DynamoDB's
 * ReturnConsumedCapacity: a search page (`q=bulk`: 8 term-shard queries, strongly consistent, then the
 * users by BatchGetItem) and a list page (16 index-shard queries of each one's even share, then the users).
 */
export async function pageReadUnits(tableName: string): Promise<{ search: number; list: number }> {
  const units = (result: { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }) =>
    [result.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  const batchGet = async (ids: string[]) =>
    units(
      await send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: ids.map((userId) => db().user.get({ userId }).params().Key), ConsistentRead: true } },
          ReturnConsumedCapacity: "TOTAL",
        }),
      ),
    );
  const terms = await Promise.all(
    termPartitions("bulk").map((partition) =>
      send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :word)",
          ExpressionAttributeValues: { ":pk": partition, ":word": "bulk" },
          ConsistentRead: true,
          Limit: 51,
          ReturnConsumedCapacity: "TOTAL",
        }),
      ),
    ),
  );
  const termIds = terms.flatMap((r) => (r.Items ?? []).map((item: Record<string, unknown>) => item.userId as string)).slice(0, 50);
  const search = terms.reduce((sum, r) => sum + units(r), 0) + (await batchGet(termIds));
  const shards = await Promise.all(
    Array.from({ length: INDEX_SHARDS }, (_, shard) =>
      send(
        new QueryCommand({
          TableName: tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk",
          ExpressionAttributeValues: { ":pk": `$users#status#active#${shard}` },
          ProjectionExpression: "gsi2sk",
          ScanIndexForward: false,
          Limit: evenShare(51, INDEX_SHARDS),
          ReturnConsumedCapacity: "TOTAL",
        }),
      ),
    ),
  );
  const listIds = shards.flatMap((r) => (r.Items ?? []).map((item: Record<string, unknown>) => item.gsi2sk as string)).sort().reverse().slice(0, 50);
  const list = shards.reduce((sum, r) => sum + units(r), 0) + (await batchGet(listIds.map((k) => k.slice(k.lastIndexOf("#") + 1))));
  return { search, list };
}
