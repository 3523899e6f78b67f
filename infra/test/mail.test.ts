/**
 * Outgoing mail in the stack: the SES identity from EMAIL_FROM, the sender Lambda on the table's stream
 * (filtered to new outbox items) with bounded retries and its dead-letter queue, and the API's settings.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { outboxStreamFilter as coreFilter } from "../../packages/core/src/mail/mail.sender.ts";
import { db } from "../../packages/core/src/store/service.ts";
import { handlers } from "../handlers.ts";
import { outboxStreamFilter } from "../../packages/core/src/mail/outbox-wiring.ts";
import { evaluateStack, type EvaluatedStack } from "./helpers/evaluate-stack.ts";
import { matchesPattern } from "./helpers/event-pattern.ts";

let dev: EvaluatedStack;
beforeAll(async () => {
  dev = await evaluateStack("dev", { EMAIL_FROM: "accounts@example.com", APP_URL: undefined, APP_NAME: undefined, WEB_DOMAIN: undefined });
});

const sender = () => dev.recording.one("DynamoLambdaSubscriber", "TableSubscriberMailSender");
const senderFunction = () => dev.recording.one("sst.aws.Function", "TableSubscriberMailSenderFunction");

describe("mail", () => {
  it("sends from an SES identity for EMAIL_FROM, which every stage must set", async () => {
    expect(dev.recording.one("sst.aws.Email", "Email").args).toEqual({ sender: "accounts@example.com" });
    await expect(evaluateStack("dev", { EMAIL_FROM: "" })).rejects.toThrow(/EMAIL_FROM is not set/);
  });

  it("the sender is a Lambda on the table's stream, linked to the table and the identity", () => {
    const fn = senderFunction();
    expect(fn.args.handler).toBe(handlers.mailSender);
    const links = (fn.args.link as { name: string }[]).map((l) => l.name);
    expect(links).toEqual(["Table.name", "Email.name"]);
    expect(fn.args.environment.EMAIL_FROM).toBe("Email.sender");
    expect(fn.args.environment.KMS_KEY_ID).toBe("arn:fake:kms:DataKey");
    expect(sender().transformed.eventSourceMapping!.args.eventSourceArn).toBe("arn:fake:dynamodb:Table/stream");
  });

  it("is invoked only for new outbox items", () => {
    expect(outboxStreamFilter).toEqual(coreFilter);
    const mapping = sender().transformed.eventSourceMapping!.args;
    expect(mapping.filterCriteria).toEqual({ filters: [{ pattern: JSON.stringify(outboxStreamFilter) }] });
    const filter = JSON.parse(mapping.filterCriteria.filters[0].pattern);
    const outboxItem = db()
      .mailOutbox.create({
        messageId: "m-1",
        to: "ada@example.com",
        kind: "verify-email",
        data: { appName: "A", link: "https://x/#/verify-email?token=t", firstName: "Ada", validHours: 24 },
        createdAt: "2026-11-22T10:15:30.123Z",
        expiresAt: 2_000_000_000,
      })
      .params<{ Item: Record<string, unknown> }>().Item;
    const tokenItem = db()
      .oneTimeToken.create({
        tokenHash: "0".repeat(64),
        purpose: "verify-email",
        userId: "u",
        email: "ada@example.com",
        createdAt: "2026-11-22T10:15:30.123Z",
        expiresAt: 2_000_000_000,
      })
      .params<{ Item: Record<string, unknown> }>().Item;
    const record = (eventName: string, item: Record<string, unknown>) => ({
      eventName,
      dynamodb: { NewImage: eventName === "REMOVE" ? undefined : marshall(item), OldImage: marshall(item) },
    });
    expect(matchesPattern(filter, record("INSERT", outboxItem))).toBe(true);
    expect(matchesPattern(filter, record("INSERT", tokenItem))).toBe(false);
    // Deleting a sent item (or its TTL expiry) must not send it again.
    expect(matchesPattern(filter, record("REMOVE", outboxItem))).toBe(false);
  });

  it("retries a bounded number of times, bisecting batches, then writes to its dead-letter queue", () => {
    const esm = sender().transformed.eventSourceMapping!.args;
    expect(esm).toMatchObject({
      startingPosition: "TRIM_HORIZON",
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: "arn:fake:sqs:MailSenderDlq" } },
    });
    expect(esm.maximumRetryAttempts).toBeGreaterThan(0);
    expect(esm.maximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(esm.maximumRecordAgeInSeconds).toBeLessThan(24 * 60 * 60);
    expect(senderFunction().args.permissions).toEqual([
      { actions: ["sqs:SendMessage"], resources: ["arn:fake:sqs:MailSenderDlq"] },
      // What a message says is sealed with a data key of its own; the sender only unwraps it.
      { actions: ["kms:Decrypt"], resources: ["arn:fake:kms:DataKey"] },
    ]);
    const queue = dev.recording.one("sst.aws.Queue", "MailSenderDlq");
    expect(queue.transformed.queue!.args.messageRetentionSeconds).toBe(14 * 24 * 60 * 60);
  });

  it("the API gets the product name, the links' base and the verification rule from the deploy environment", async () => {
    const api = (stack: EvaluatedStack) => stack.recording.one("sst.aws.Function", "Api").args.environment;
    expect(api(dev)).toMatchObject({ NODE_OPTIONS: "--enable-source-maps", NODE_ENV: "production" });
    expect([api(dev).APP_NAME, api(dev).APP_URL, api(dev).REQUIRE_EMAIL_VERIFICATION]).toEqual([undefined, undefined, undefined]);
    const configured = await evaluateStack("prod", {
      APP_NAME: "Acme",
      APP_URL: "https://admin.acme.example",
      REQUIRE_EMAIL_VERIFICATION: "true",
    });
    expect(api(configured)).toMatchObject({ APP_NAME: "Acme", APP_URL: "https://admin.acme.example", REQUIRE_EMAIL_VERIFICATION: "true" });
    const byDomain = await evaluateStack("prod", { APP_URL: undefined, WEB_DOMAIN: "admin.acme.example" });
    expect(api(byDomain).APP_URL).toBe("https://admin.acme.example");
  });
});
