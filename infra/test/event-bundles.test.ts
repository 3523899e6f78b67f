import { config } from "@users/core";
/**
 * The stream relay and the example EventBridge consumer bundled as SST would deploy them (the same
 * infra/bundling.ts settings as the API), each loaded in a fresh Node process outside the repository
 * and called the way Lambda would call it:
 *
 * - the relay with a DynamoDB stream event whose NewImage is a real audit item (written by creating a
 *   user on DynamoDB Local, read back raw), with EVENT_BUS_NAME as infra/events.ts sets it and
 *   EventBridge replaced by a local HTTP server that answers PutEvents;
 * - the consumer with the EventBridge event that PutEvents entry becomes, reading the table name only
 *   through its SST link, as it must in AWS (infra gives it no TABLE_NAME).
 *
 * Prints each bundle's size.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User, withContext } from "../../packages/core/src/index.ts";
import {
  adminGrantPattern,
  AUDIT_ENTITY as auditEntity,
  ENTITY_ATTRIBUTE as entityAttribute,
  EVENT_SOURCE as eventSource,
} from "../../packages/core/src/events/wiring.ts";
import { handlers } from "../handlers.ts";
import { awsEndpointStandIn } from "./helpers/aws-endpoint-stand-in.ts";
import { bundleFunction, type BuiltFunction } from "./helpers/bundle-function.ts";
import { matchesPattern } from "./helpers/event-pattern.ts";
import { kib, runBundle } from "./helpers/run-bundle.ts";
import { writeSstLinks } from "./helpers/sst-links.ts";
import { rawItems, streamInsert } from "./helpers/stream-images.ts";

const root = mkdtempSync(join(tmpdir(), "event-bundles-"));
const relayDir = join(root, "relay");
const consumerDir = join(root, "consumer");
const busName = "users-service-ci-BusBus-abcdefgh";

interface PutEventsBody {
  Entries: { Source: string; DetailType: string; Detail: string; EventBusName: string; Time?: number }[];
}
const accepted = (entries: number, calls: number) => ({
  FailedEntryCount: 0,
  Entries: Array.from({ length: entries }, (_, i) => ({ EventId: `event-${calls}-${i}` })),
});
/** How the EventBridge stand-in answers PutEvents (a test may make it refuse). */
let answer: (entries: number, calls: number) => unknown = accepted;
let eventBridge: Awaited<ReturnType<typeof awsEndpointStandIn<PutEventsBody>>>;

let relay: BuiltFunction;
let consumer: BuiltFunction;

beforeAll(async () => {
  [relay, consumer] = await Promise.all([
    bundleFunction(handlers.auditRelay, relayDir, []),
    bundleFunction(handlers.adminGrantAlert, consumerDir, []),
  ]);
  console.log(`Audit relay bundle: ${kib(relay.bytes)} minified (+ ${kib(relay.sourceMapBytes)} source map)`);
  console.log(`Admin-grant consumer bundle: ${kib(consumer.bytes)} minified (+ ${kib(consumer.sourceMapBytes)} source map)`);

  eventBridge = await awsEndpointStandIn<PutEventsBody>((call, calls) => ({
    contentType: "application/x-amz-json-1.1",
    body: answer(call.body.Entries.length, calls.length),
  }));
}, 120_000);

afterAll(async () => {
  await eventBridge?.close();
  rmSync(root, { recursive: true, force: true });
});

let sequence = 100;
const streamRecord = (image: Record<string, AttributeValue>) => streamInsert(image, ++sequence);

function relayEnv() {
  return {
    AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-TableSubscriberAuditRelayFunction",
    // As infra/events.ts sets it, plus what Lambda gives every function (the role's credentials).
    EVENT_BUS_NAME: busName,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "bundle-check",
    AWS_SESSION_TOKEN: "bundle-check",
    // The SDK's per-service endpoint override: PutEvents goes to this test's server.
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
    // Sealed personal values are opened with the user's data key, read from the table: infra/events.ts
    // gives TABLE_NAME and KMS_KEY_ID; here DynamoDB Local, and the local master key stands in for KMS.
    TABLE_NAME: config().tableName,
    DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
    MASTER_KEY: process.env.MASTER_KEY!,
    // Linked to the bus only (stack.test.ts asserts the links).
    ...writeSstLinks(relayDir, { Bus: { name: busName, arn: `arn:aws:events:us-east-1:123456789012:event-bus/${busName}`, type: "sst.aws.Bus" } }),
  };
}

let userId: string;
let auditImage: Record<string, AttributeValue>;
let userImage: Record<string, AttributeValue>;
/** The PutEvents entry the relay sent, as the EventBridge event a rule target receives. */
let delivered: Record<string, unknown>;

describe("audit relay bundle", () => {
  beforeAll(async () => {
    const user = await withContext({ actor: { kind: "system", name: "bundle-check" }, requestId: "req-bundle" }, () =>
      User.create({
        email: `relay.${Date.now().toString(36)}@example.com`,
        password: "correct horse battery",
        firstName: "Ada",
        lastName: "Lovelace",
        roles: ["admin"],
        status: "active",
      }),
    );
    userId = user.userId;
    const items = await rawItems(userId);
    auditImage = items.find((item) => item[entityAttribute]?.S === auditEntity)!;
    userImage = items.find((item) => item[entityAttribute]?.S === "user")!;
    expect(auditImage, "the audit item written with the user").toBeDefined();
    expect(userImage, "the user item").toBeDefined();
  });

  it("publishes the audit item of a stream batch to the bus named by EVENT_BUS_NAME, and skips other items", async () => {
    eventBridge.calls.length = 0;
    const result = await runBundle<{ batchItemFailures: unknown[] }>(
      relay,
      relayDir,
      [{ Records: [streamRecord(userImage), streamRecord(auditImage)] }],
      relayEnv(),
    );
    console.log(`Audit relay bundle: module load ${result.loadMs} ms`);
    expect(result.handlerType).toBe("function");
    expect(result.isAsync).toBe(true);
    expect(result.parameters).toBeLessThanOrEqual(2);
    expect(result.callbackWaitsUntouched).toBe(true);

    expect(result.responses).toEqual([{ batchItemFailures: [] }]);
    expect(eventBridge.calls).toHaveLength(1);
    expect(eventBridge.calls[0]!.target).toBe("AWSEvents.PutEvents");
    const [entry, ...others] = eventBridge.calls[0]!.body.Entries;
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ Source: eventSource, DetailType: "user.created", EventBusName: busName });
    const detail = JSON.parse(entry!.Detail);
    expect(detail).toMatchObject({
      eventId: auditImage.eventId!.S,
      type: "user.created",
      userId,
      requestId: "req-bundle",
      actor: { kind: "system", name: "bundle-check" },
    });
    expect(detail.changes.roles.to).toEqual(["admin"]);
    expect(result.stdout).toContain('"Audit events relayed"');

    delivered = {
      version: "0",
      id: "6f1e0b1c-0000-4000-8000-000000000000",
      "detail-type": entry!.DetailType,
      source: entry!.Source,
      account: "123456789012",
      time: new Date().toISOString(),
      region: "us-east-1",
      resources: [],
      detail,
    };
    // The consumer's rule (core/src/events/wiring.ts) selects this event.
    expect(matchesPattern(adminGrantPattern, delivered)).toBe(true);
  });

  it("reports the record as a batch item failure when EventBridge keeps refusing the entry", async () => {
    eventBridge.calls.length = 0;
    answer = (entries) => ({
      FailedEntryCount: entries,
      Entries: Array.from({ length: entries }, () => ({ ErrorCode: "InternalFailure", ErrorMessage: "try again" })),
    });
    try {
      const record = streamRecord(auditImage);
      const result = await runBundle<{ batchItemFailures: { itemIdentifier: string }[] }>(
        relay,
        relayDir,
        [{ Records: [record] }],
        relayEnv(),
      );
      expect(result.responses).toEqual([{ batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] }]);
      // The publisher's own attempts (5), each one PutEvents call.
      expect(eventBridge.calls).toHaveLength(5);
      expect(result.stderr).toContain("Audit events not published");
    } finally {
      answer = accepted;
    }
  });
});

describe("admin-grant consumer bundle", () => {
  it("alerts once for the relayed event, reading the table through its SST link, and ignores the redelivery", async () => {
    expect(delivered, "the relay test ran first and captured the event").toBeDefined();
    const result = await runBundle(consumer, consumerDir, [delivered, { ...delivered, id: "redelivered-envelope" }], {
      AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-BusSubscriberAdminGrantAlertFunction",
      DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
      // No TABLE_NAME: infra/events.ts gives the consumer only its link to the table.
      ...writeSstLinks(consumerDir, { Table: { name: config().tableName, type: "sst.aws.Dynamo" } }),
    });
    console.log(`Admin-grant consumer bundle: module load ${result.loadMs} ms`);
    expect(result.handlerType).toBe("function");
    expect(result.isAsync).toBe(true);
    expect(result.parameters).toBeLessThanOrEqual(2);
    expect(result.callbackWaitsUntouched).toBe(true);
    expect(result.responses).toEqual([null, null]);

    const alerts = result.stderr.split("\n").filter((line) => line.includes("ADMIN_ROLE_GRANTED"));
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!)).toMatchObject({ userId, eventId: (delivered.detail as { eventId: string }).eventId });
    expect(result.stdout).toContain("Duplicate event ignored");
    // The dedupe record is in the linked table (the only table the bundle could have found by name).
    const eventId = (delivered.detail as { eventId: string }).eventId;
    const dedupe = (await rawItems(eventId)).find((item) => item.pk?.S === `$dedupe#admin-grant-alert#${eventId}`);
    expect(dedupe?.status).toEqual({ S: "done" });
  });

  it("lets a malformed event fail the invocation (so Lambda retries it and then dead-letters it)", async () => {
    await expect(
      runBundle(consumer, consumerDir, [{ ...delivered, detail: { not: "an audit event" } }], {
        AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-BusSubscriberAdminGrantAlertFunction",
        DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
        ...writeSstLinks(consumerDir, { Table: { name: config().tableName, type: "sst.aws.Dynamo" } }),
      }),
    ).rejects.toThrow();
  });
});

