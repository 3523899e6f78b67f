/**
 * The DynamoDB floor of each scenario: the same reads and writes the service issues for one request
 * (found by reading packages/core), sent directly with the AWS SDK's DynamoDBDocumentClient configured
 * as packages/core/src/dynamo/client.ts configures it (minus the X-Ray capture), with parameters built
 * by the same ElectroDB entities so keys, filters, conditions and item sizes match. No HTTP, no
 * validation, no tokens, no bcrypt.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { auditEvent, putAuditEvent } from "@users/core/audit/audit.record";
import { sealAuditEvent } from "@users/core/audit/audit.seal";
import { sessionEntry } from "@users/core/access/auth-state";
import { hashSecret } from "@users/core/access/refresh-token";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { config } from "@users/core";
import { db, store } from "@users/core/store/service";

let client: DynamoDBDocumentClient | undefined;
function plainClient(): DynamoDBDocumentClient {
  const endpoint = config().dynamoEndpoint;
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: process.env.AWS_REGION || "us-east-1",
      endpoint,
      maxAttempts: 3,
      ...(endpoint ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
  return client;
}
const send = (command: any): Promise<any> => plainClient().send(command);
const LOGIN_WINDOW_SECONDS = 15 * 60;

/** Authenticated request: the consistent auth-state read every bearer token costs (Auth.authenticate). */
export function authCheck(userId: string) {
  return send(new GetCommand(db().authState.get({ userId }).params({ consistent: true }) as never));
}

/** GET /v1/users/{id}, /trpc/users.get, /v1/auth/me: auth state (consistent), then the user (eventual). */
export async function getById(callerId: string, userId: string) {
  await authCheck(callerId);
  const { Item } = await send(new GetCommand(db().user.get({ userId }).params() as never));
  if (!Item) throw new Error("floor: user not found");
}

/** GET /v1/users?status=…&limit=50: auth state, then one query of 51 (one more than the page) on gsi2. */
export async function listPage(callerId: string, status: string, exclusiveStartKey?: Record<string, unknown>) {
  await authCheck(callerId);
  const params = db().user.query.byStatus({ status: status as never }).params({ order: "desc", limit: 51 }) as any;
  const { Items } = await send(new QueryCommand({ ...params, Limit: 51, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }));
  if (!Items || Items.length === 0) throw new Error("floor: empty page");
}

/** POST /v1/users: one TransactWriteItems of user, email claim, auth state and audit event (no bcrypt). */
export async function create(tag: string) {
  const now = new Date().toISOString();
  const userId = randomUUID();
  const email = `floor.${tag}.${userId}@example.com`;
  const next = {
    userId,
    email,
    firstName: "Ada",
    lastName: "Lovelace",
    status: "active",
    roles: ["customer"],
    contacts: [],
    metadata: {},
    passwordHash: "$2b$12$abcdefghijklmnopqrstuuMYWzCBQ3H8tD4nuDOyD7oqUVz2PNfwe",
    version: 1,
    createdAt: now,
    updatedAt: now,
  } as const;
  const event = await sealAuditEvent(auditEvent("user.created", userId, {}, { occurredAt: now }));
  const params = store().transaction
    .write((e: any) => [
      e.user.create(next).commit(),
      e.claim.create({ kind: "email", value: email, userId, claimedAt: now }).commit(),
      e.authState.put({ userId, status: "active", roles: ["customer"] }).commit(),
      putAuditEvent(e, event),
    ])
    .params();
  await send(new TransactWriteCommand(params as never));
}

/**
 * POST /v1/auth/login for a user with no failures: count the attempt (update, all new) while peeking at
 * the IP's failures; the email claim and the user (both consistent); reset the count; the auth state
 * (consistent); then the session, auth-state entry, lastLoginAt and login event in one transaction.
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
  ]);
  await send(new GetCommand(db().claim.get({ kind: "email", value: user.email }).params({ consistent: true }) as never));
  await send(new GetCommand(db().user.get({ userId: user.userId }).params({ consistent: true }) as never));
  await send(new DeleteCommand(db().loginAttempts.delete({ kind: "email", value: user.email }).params() as never));
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
      e.user.update({ userId: user.userId }).set({ lastLoginAt: at }).add({ version: 1 }).commit(),
      putAuditEvent(e, event),
    ])
    .params();
  await send(new TransactWriteCommand(params as never));
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
  await send(new GetCommand(db().user.get({ userId }).params() as never));
}
