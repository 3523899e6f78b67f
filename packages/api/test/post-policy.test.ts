/** The local S3's POST-policy check against policies the AWS SDK signs (no server involved). */
import { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { describe, expect, it } from "vitest";
import { verifyPostPolicy } from "../src/local/post-policy.ts";
import { localS3Credentials } from "../src/local/s3-local.ts";

const client = new S3Client({ region: "us-east-1", endpoint: "http://127.0.0.1:1", forcePathStyle: true, credentials: localS3Credentials });

async function form() {
  const { fields } = await createPresignedPost(client, {
    Bucket: "b",
    Key: "uploads/u/1",
    Fields: { "Content-Type": "image/png" },
    Conditions: [["content-length-range", 1, 1000]],
    Expires: 300,
  });
  return fields;
}

const verify = (fields: Record<string, string>, fileSize = 500, options: { now?: Date; bucket?: string } = {}) =>
  verifyPostPolicy({ bucket: options.bucket ?? "b", fields: Object.entries(fields), fileSize, credentials: localS3Credentials, now: options.now });

describe("verifyPostPolicy", () => {
  it("accepts the form as signed, within its size range and lifetime", async () => {
    expect(verify(await form())).toMatchObject({ ok: true });
  });

  it("refuses after the expiration", async () => {
    const later = new Date(Date.now() + 301_000);
    expect(verify(await form(), 500, { now: later })).toMatchObject({ ok: false, status: 403, message: expect.stringMatching(/expired/) });
  });

  it("refuses a file outside content-length-range", async () => {
    expect(verify(await form(), 1001)).toMatchObject({ ok: false, status: 400, code: "EntityTooLarge" });
    expect(verify(await form(), 0)).toMatchObject({ ok: false, status: 400, code: "EntityTooSmall" });
  });

  it("refuses a changed field, another bucket, an extra field, another key's signature", async () => {
    const fields = await form();
    expect(verify({ ...fields, key: "uploads/other/1" })).toMatchObject({ ok: false, code: "AccessDenied" });
    expect(verify({ ...fields, "Content-Type": "text/html" })).toMatchObject({ ok: false, code: "AccessDenied" });
    expect(verify(fields, 500, { bucket: "other" })).toMatchObject({ ok: false, code: "AccessDenied" });
    expect(verify({ ...fields, "x-amz-meta-admin": "yes" })).toMatchObject({ ok: false, message: expect.stringMatching(/Extra input fields: x-amz-meta-admin/) });
    expect(verify({ ...fields, "X-Amz-Signature": "00".repeat(32) })).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
    const { Policy: _policy, ...unsigned } = fields;
    expect(verify(unsigned)).toMatchObject({ ok: false, status: 403 });
  });
});
