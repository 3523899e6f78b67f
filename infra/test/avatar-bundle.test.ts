/**
 * The avatar processor bundled as SST deploys it (infra/avatars.ts: sharp installed beside the bundle,
 * not bundled), loaded in a fresh Node process outside the repository with only its SST links (Table,
 * Avatars) and the environment infra gives it, and called with S3 notifications the way S3 invokes it.
 * S3 is the local S3 (s3rver), DynamoDB is DynamoDB Local. Prints the bundle's size.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalS3, localS3Credentials, type LocalS3 } from "../../packages/api/src/local/s3-local.ts";
import { config, User, withContext } from "../../packages/core/src/index.ts";
import { handlers } from "../handlers.ts";
import { bundleFunction, type BuiltFunction } from "./helpers/bundle-function.ts";
import { kib, runBundle } from "./helpers/run-bundle.ts";
import { writeSstLinks } from "./helpers/sst-links.ts";

const root = mkdtempSync(join(tmpdir(), "avatar-bundle-"));
const bucket = "users-service-ci-avatarsbucket-abcdefgh";
let s3: LocalS3;
let client: S3Client;
let built: BuiltFunction;
let userId: string;

beforeAll(async () => {
  built = await bundleFunction(handlers.avatarProcessor, root, ["sharp"]);
  console.log(`Avatar processor bundle: ${kib(built.bytes)} minified (+ ${kib(built.sourceMapBytes)} source map), sharp installed beside it`);
  s3 = await startLocalS3({ port: 0, directory: null, buckets: [bucket] });
  client = new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: localS3Credentials });
  const user = await withContext({ actor: { kind: "system", name: "bundle-check" } }, () =>
    User.create({ email: `avatar.${Date.now().toString(36)}@example.com`, password: "correct horse battery", firstName: "Ada", lastName: "Lovelace" }),
  );
  userId = user.userId;
}, 180_000);

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** An upload as the browser's form leaves it, and the notification S3 sends for it (key URL-encoded). */
async function upload(bytes: Buffer, contentType: string) {
  const key = `uploads/${userId}/${randomUUID()}`;
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }));
  const event = {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "us-east-1",
        eventTime: new Date().toISOString(),
        eventName: "ObjectCreated:Post",
        s3: { s3SchemaVersion: "1.0", configurationId: "Processor", bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encodeURIComponent(key), size: bytes.length } },
      },
    ],
  };
  return { key, event };
}

function processorEnv() {
  return {
    AWS_LAMBDA_FUNCTION_NAME: "users-service-ci-AvatarsNotificationsNotificationProcessorFunction",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "bundle-check",
    // As infra/avatars.ts sets it; S3_ENDPOINT and DYNAMODB_ENDPOINT stand in for AWS's own endpoints.
    AVATAR_PUBLIC_URL: `${s3.endpoint}/${bucket}`,
    S3_ENDPOINT: s3.endpoint,
    DYNAMODB_ENDPOINT: config().dynamoEndpoint!,
    // KMS_KEY_ID deployed; here the test's local master key stands in for KMS.
    MASTER_KEY: process.env.MASTER_KEY!,
    NODE_ENV: "production",
    ...writeSstLinks(root, { Table: { name: config().tableName, type: "sst.aws.Dynamo" }, Avatars: { name: bucket, type: "sst.aws.Bucket" } }),
  };
}

describe("avatar processor bundle", () => {
  it("turns a JPEG upload into the user's 256×256 WebP, through its links; refuses bytes that are no image", async () => {
    const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#3a7" } }).jpeg().toBuffer();
    const good = await upload(jpeg, "image/jpeg");
    const bad = await upload(Buffer.from("not an image at all"), "image/png");
    const run = await runBundle<{ outcome: string; avatarUrl?: string }[]>(built, root, [good.event, bad.event], processorEnv());
    expect(run.isAsync).toBe(true);
    expect(run.responses[0]).toEqual([{ outcome: "changed", userId, avatarUrl: expect.stringMatching(new RegExp(`^${s3.endpoint}/${bucket}/avatars/${userId}/`)) }]);
    expect(run.responses[1]).toEqual([{ outcome: "rejected", reason: "not-an-image", key: bad.key }]);

    const user = await withContext({ actor: { kind: "system", name: "bundle-check" } }, () => User.get({ userId }));
    expect(user.avatarUrl).toBe(run.responses[0]![0]!.avatarUrl);
    const served = await fetch(user.avatarUrl!);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ format: "webp", width: 256, height: 256 });
    for (const key of [good.key, bad.key]) expect((await fetch(`${s3.endpoint}/${bucket}/${key}`)).status).toBe(404);
  });
});
