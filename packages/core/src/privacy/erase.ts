import { setTimeout as sleep } from "node:timers/promises";
import { BatchWriteCommand, QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import { authStateRemovalStep, resetLoginAttempts } from "../access/index.ts";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import { config } from "../config.ts";
import { useActor } from "../context.ts";
import { userNotFound } from "../errors.ts";
import { Policy } from "../policy.ts";
import { dynamo } from "../store/client.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { idempotencySteps } from "../store/idempotency-attempt.ts";
import { db } from "../store/service.ts";
import { writeTransaction, type Step } from "../store/transaction.ts";
import { erasureSteps, UserRef } from "../user/index.ts";
import { validated } from "../validation.ts";
import { sealPlainAuditEvents } from "./seal-legacy-events.ts";
import { dataKeyRemovalStep, forgetUserDataKey, userDataKey } from "../keys/index.ts";

/** ElectroDB's entity marker on every item. */
const ENTITY_ATTRIBUTE = "__edb_e__";

/** The user's partition key, as every entity keyed by the user id alone writes it. */
const partitionOf = (userId: string) => db().dataKey.get({ userId }).params().Key.pk as string;


async function deleteKeys(keys: { pk: string; sk: string }[]): Promise<void> {
  const tableName = config().tableName;
  for (let start = 0; start < keys.length; start += 25) {
    let requests = keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error("Deleting the user's items kept being throttled");
      if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt));
      const out = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** What the erase transaction itself deletes (under its conditions), so the first sweep leaves it. */
const DELETED_IN_TRANSACTION = ["user", "authState", "dataKey"];

/**
 * Deletes every item in the user's partition except its audit events (and `spare` entities): sessions,
 * with their refresh-token hashes, the MFA factor, and whatever else a feature keeps there. An erasure
 * pointer takes its target along (an idempotency record, a one-time token, a queued mail).
 * Returns how many it deleted.
 */
async function sweepPartition(userId: string, spare: string[] = []): Promise<number> {
  const keep = new Set(["auditEvent", ...spare]);
  const pk = partitionOf(userId);
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await dynamo().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ExpressionAttributeNames: { "#e": ENTITY_ATTRIBUTE },
        ProjectionExpression: "pk, sk, #e, targetPk, targetSk",
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    const doomed = (page.Items ?? []).filter((item) => !keep.has(item[ENTITY_ATTRIBUTE] as string));
    const keys = doomed.flatMap((item) => [
      // The target first: a pointer is deleted only once what it points to is gone.
      ...(item[ENTITY_ATTRIBUTE] === "erasurePointer" ? [{ pk: item.targetPk as string, sk: item.targetSk as string }] : []),
      { pk: item.pk as string, sk: item.sk as string },
    ]);
    await deleteKeys(keys);
    deleted += keys.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}

/**
 * The one transaction that deletes the user, its claims, auth state and data key, with `user.erased`.
 * Each owner gives its steps: user/ its item, claims, counts and terms; access/ the auth state; keys/
 * the data key.
 */
async function eraseTransaction(user: StoredUser): Promise<"committed" | "stale"> {
  const { userId } = user;
  const event = await sealAuditEvent({ ...auditEvent("user.erased", userId, {}), sourceIp: null });
  // Inside an idempotent call, the record is marked committed with the change (no subject: no pointer
  // is left in the erased partition).
  const idempotency = idempotencySteps();
  const steps: Step[] = [
    ...erasureSteps(user),
    authStateRemovalStep(userId),
    dataKeyRemovalStep(userId),
    { item: (e) => putAuditEvent(e, event), whenConditionFails: "stale" },
    ...idempotency,
  ];
  const outcome = await writeTransaction((e) => steps.map((step) => step.item(e)));
  if (outcome.committed) return "committed";
  if (outcome.conflict) return "stale";
  const failed = outcome.failedConditions.map((index) => steps[index]!);
  // A retry with the same Idempotency-Key took over: its error, not another round.
  const taken = failed.find((step) => idempotency.includes(step) && step.whenConditionFails !== "stale");
  if (taken) throw taken.whenConditionFails;
  // Only the active-admin count refused (LAST_ADMIN): another round would be refused the same way.
  const [only] = failed;
  if (failed.length === 1 && only!.whenConditionFails !== "stale") throw only!.whenConditionFails;
  return "stale";
}

/**
 * Erasure (the right to be forgotten): the user's item, claims, search terms, sessions, auth state, MFA factor, the
 * idempotency records of changes about them (through their pointers) and sign-in counters are deleted, and their data key is destroyed. Their audit events are kept for
 * their retention, but the personal values in them were sealed with that key and cannot be read again.
 * A `user.erased` event (with no personal values) tells consumers to erase their copies.
 */
export const erase = validated(UserRef, async ({ userId }): Promise<void> => {
  Policy.handlePersonalData(useActor(), userId);
  for (let attempt = 0; attempt < 8; attempt++) {
    const { data: user } = await db().user.get({ userId }).go({ consistent: true });
    if (!user) throw userNotFound();
    // Events written before encryption existed are sealed now, with the key about to be destroyed.
    const key = await userDataKey(userId, { create: true });
    await sealPlainAuditEvents(userId, key!);
    await sweepPartition(userId, DELETED_IN_TRANSACTION);
    if ((await eraseTransaction(user)) === "committed") {
      forgetUserDataKey(userId);
      // Whatever was added between the sweep and the transaction (a sign-in racing the erasure).
      await sweepPartition(userId);
      await resetLoginAttempts(user.email);
      // Items elsewhere that hold the person's values are found through erasure pointers (the sweep);
      // a feature that keeps such items writes one with them (store/entities/erasure-pointer.entity.ts).
      return;
    }
    await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
  }
  throw new Error("Erasing the user kept conflicting with concurrent writes");
});
