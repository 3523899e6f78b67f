/**
 * The mail sender bundled as SST would deploy it, loaded in a fresh Node process outside the repository
 * and called with a DynamoDB stream event whose NewImage is a real outbox item (queued by a sign-up on
 * DynamoDB Local), with the table and the Email identity as its only links, EMAIL_FROM as infra/mail.ts
 * sets it, and Amazon SES replaced by a local HTTP server that answers SendEmail. Prints the bundle size.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User, config, withContext } from "../../packages/core/src/index.ts";
import { handlers } from "../handlers.ts";
import { awsEndpointStandIn } from "./helpers/aws-endpoint-stand-in.ts";
import { bundleFunction, type BuiltFunction } from "./helpers/bundle-function.ts";
import { kib, runBundle } from "./helpers/run-bundle.ts";
import { writeSstLinks } from "./helpers/sst-links.ts";
import { rawItems, streamInsert } from "./helpers/stream-images.ts";

const dir = mkdtempSync(join(tmpdir(), "mail-bundle-"));
const from = "accounts@example.com";

interface SendEmailBody {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: { Simple: { Subject: { Data: string }; Body: { Text: { Data: string }; Html: { Data: string } } } };
}
let status = 200;
let ses: Awaited<ReturnType<typeof awsEndpointStandIn<SendEmailBody>>>;

let sender: BuiltFunction;

beforeAll(async () => {
  sender = await bundleFunction(handlers.mailSender, dir, []);
  console.log(`Mail sender bundle: ${kib(sender.bytes)} minified (+ ${kib(sender.sourceMapBytes)} source map)`);
  // Amazon SES (v2 SendEmail), answering 200 with a message id, or `status` with an error.
  ses = await awsEndpointStandIn<SendEmailBody>((_, calls) => ({
    status,
    body: status === 200 ? { MessageId: `m-${calls.length}` } : { message: "Throttled" },
  }));
}, 120_000);

afterAll(async () => {
  await ses?.close();
  rmSync(dir, { recursive: true, force: true });
});

const streamEvent = (image: Record<string, AttributeValue>, sequence: number) => ({ Records: [streamInsert(image, sequence)] });

function senderEnv() {
  return {
    AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-TableSubscriberMailSenderFunction",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "bundle-check",
    AWS_SESSION_TOKEN: "bundle-check",
    DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
    // As infra/mail.ts sets it; the table only through its link.
    EMAIL_FROM: from,
    // infra/mail.ts gives KMS_KEY_ID; here the local master key stands in for KMS.
    MASTER_KEY: process.env.MASTER_KEY!,
    AWS_ENDPOINT_URL_SESV2: ses.url,
    ...writeSstLinks(dir, {
      Table: { name: config().tableName, type: "sst.aws.Dynamo" },
      Email: { sender: from, configSet: "users-service-ci-EmailConfig", type: "sst.aws.Email" },
    }),
  };
}

async function queuedOutboxItem(): Promise<{ email: string; image: Record<string, AttributeValue> }> {
  const email = `mail.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  await withContext({ actor: { kind: "system", name: "bundle-check" } }, () =>
    User.create({ email, password: "correct horse battery", firstName: "Ada", lastName: "Lovelace" }),
  );
  const image = (await rawItems(email)).find((item) => item.__edb_e__?.S === "mailOutbox");
  expect(image, "the outbox item queued by the sign-up").toBeDefined();
  // Only the address is in the clear: the link (its token) and the greeting name are sealed.
  expect(image!.sealedData?.S).toMatch(/^v1\./);
  expect(image!.wrappedKey?.S).toMatch(/^local:v1\./);
  expect(image!.data).toBeUndefined();
  expect(JSON.stringify(image)).not.toMatch(/token=|verify-email\?|Ada/);
  return { email, image: image! };
}

describe("mail sender bundle", () => {
  it("sends the outbox item through SES from EMAIL_FROM, deletes it, and sends a redelivered record once", async () => {
    const { email, image } = await queuedOutboxItem();
    ses.calls.length = 0;
    status = 200;
    const result = await runBundle<{ batchItemFailures: unknown[] }>(
      sender,
      dir,
      [streamEvent(image, 101), streamEvent(image, 101)],
      senderEnv(),
    );
    console.log(`Mail sender bundle: module load ${result.loadMs} ms`);
    expect(result.handlerType).toBe("function");
    expect(result.isAsync).toBe(true);
    expect(result.callbackWaitsUntouched).toBe(true);
    expect(result.responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);

    expect(ses.calls).toHaveLength(1);
    expect(ses.calls[0]!.path).toBe("/v2/email/outbound-emails");
    const { FromEmailAddress, Destination, Content } = ses.calls[0]!.body;
    expect(FromEmailAddress).toBe(from);
    expect(Destination).toEqual({ ToAddresses: [email] });
    expect(Content.Simple.Subject.Data).toContain("Confirm your email address");
    expect(Content.Simple.Body.Text.Data).toMatch(/#\/verify-email\?token=[A-Za-z0-9_-]{43}/);
    expect(Content.Simple.Body.Html.Data).toContain("<a href=");
    // Sent, so gone from the table; the log says what happened without the message.
    expect((await rawItems(email)).some((item) => item.__edb_e__?.S === "mailOutbox")).toBe(false);
    expect(result.stdout).toContain('"Outbox batch handled"');
    expect(result.stdout).not.toContain("token=");
  });

  it("reports the record as a batch item failure when SES refuses, and keeps the item for the retry", async () => {
    const { email, image } = await queuedOutboxItem();
    ses.calls.length = 0;
    status = 500;
    const event = streamEvent(image, 202);
    const result = await runBundle<{ batchItemFailures: unknown[] }>(sender, dir, [event], senderEnv());
    expect(ses.calls.length).toBeGreaterThanOrEqual(1);
    expect(result.responses).toEqual([{ batchItemFailures: [{ itemIdentifier: event.Records[0]!.dynamodb.SequenceNumber }] }]);
    expect((await rawItems(email)).some((item) => item.__edb_e__?.S === "mailOutbox")).toBe(true);
    expect(result.stdout + result.stderr).not.toContain("token=");
  });
});
