/**
 * Where avatars live: one S3 bucket with a private upload prefix (raw bytes as the browser sent them,
 * deleted after processing and by a lifecycle rule after a day) and a public prefix of processed WebP
 * files. The client and the settings are bound on first use; locally `S3_ENDPOINT` points at the S3
 * server `npm start` runs, and deployed the bucket comes from SST's link. The S3 SDK is loaded on first
 * use too: few requests touch avatars, and in the Lambda bundle it is a chunk of its own, not part of
 * every cold start.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { config, sstLinkedValue } from "../config.ts";

export const UPLOAD_PREFIX = "uploads/";
export const PUBLIC_PREFIX = "avatars/";

export interface AvatarStorageConfig {
  bucket: string;
  /** Base URL under which `avatars/<userId>/<id>.webp` is public (CloudFront, or the local S3 server). */
  publicUrl: string;
  /** An explicit S3 endpoint (the local S3 server); unset in AWS. */
  endpoint: string | undefined;
}

export function readAvatarStorageConfig(env: NodeJS.ProcessEnv = process.env, linked = sstLinkedValue): AvatarStorageConfig {
  const bucket = env.AVATAR_BUCKET || linked("Avatars", "name");
  if (!bucket) throw new Error("AVATAR_BUCKET is not set (and no Avatars bucket is linked)");
  const endpoint = env.S3_ENDPOINT || undefined;
  // Locally the S3 server itself serves the bucket (path-style); deployed, infra/avatars.ts sets it.
  const publicUrl = env.AVATAR_PUBLIC_URL || (endpoint ? `${endpoint.replace(/\/$/, "")}/${bucket}` : undefined);
  if (!publicUrl) throw new Error("AVATAR_PUBLIC_URL is not set");
  return { bucket, publicUrl: publicUrl.replace(/\/$/, ""), endpoint };
}

let settings: AvatarStorageConfig | undefined;
let client: Promise<S3Client> | undefined;

export function avatarStorageConfig(): AvatarStorageConfig {
  settings ??= readAvatarStorageConfig();
  return settings;
}

const commands = () => import("@aws-sdk/client-s3");

async function makeClient(): Promise<S3Client> {
  const { S3Client } = await commands();
  const { endpoint } = avatarStorageConfig();
  return new S3Client({
    region: config().region,
    ...(endpoint
      ? // The local S3 server (s3rver) knows one account and answers path-style URLs.
        { endpoint, forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } }
      : {}),
  });
}

function s3(): Promise<S3Client> {
  client ??= makeClient();
  return client;
}


export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/**
 * A browser form upload (S3 POST policy) of exactly one object at `key`, whose policy pins the content
 * type and bounds the size; S3 refuses anything else with 403 and stores nothing.
 */
export async function presignUpload(options: {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
  metadata: Record<string, string>;
}): Promise<PresignedUpload> {
  const { bucket } = avatarStorageConfig();
  const metaFields = Object.fromEntries(Object.entries(options.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]));
  const { createPresignedPost } = await import("@aws-sdk/s3-presigned-post");
  const { url, fields } = await createPresignedPost(await s3(), {
    Bucket: bucket,
    Key: options.key,
    Fields: { "Content-Type": options.contentType, ...metaFields },
    Conditions: [["content-length-range", 1, options.maxBytes]],
    Expires: options.expiresInSeconds,
  });
  // The instant the signed policy itself names (whole seconds).
  const policy = JSON.parse(Buffer.from(fields.Policy!, "base64").toString("utf8")) as { expiration: string };
  return { url, fields, expiresAt: new Date(policy.expiration).toISOString() };
}

export interface StoredObject {
  bytes: Buffer;
  contentType: string | undefined;
  metadata: Record<string, string>;
}

/** An object's bytes; null when it is gone (already processed, or deleted). */
export async function readObject(key: string, maxBytes: number): Promise<StoredObject | "too-large" | null> {
  try {
    const { GetObjectCommand } = await commands();
    const out = await (await s3()).send(new GetObjectCommand({ Bucket: avatarStorageConfig().bucket, Key: key }));
    if ((out.ContentLength ?? 0) > maxBytes) {
      await out.Body?.transformToByteArray().catch(() => undefined);
      return "too-large";
    }
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    return { bytes, contentType: out.ContentType, metadata: out.Metadata ?? {} };
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchKey") return null;
    throw error;
  }
}

export async function writePublicObject(key: string, bytes: Buffer, contentType: string): Promise<void> {
  const { PutObjectCommand } = await commands();
  await (await s3()).send(
    new PutObjectCommand({
      Bucket: avatarStorageConfig().bucket,
      Key: key,
      Body: bytes,
      ContentType: contentType,
      // A new key for every avatar, so a URL's bytes never change.
      CacheControl: "public, max-age=31536000, immutable",
    }),
  );
}

export async function deleteObject(key: string): Promise<void> {
  const { DeleteObjectCommand } = await commands();
  await (await s3()).send(new DeleteObjectCommand({ Bucket: avatarStorageConfig().bucket, Key: key }));
}

/** The public URL of a processed avatar. */
export const publicUrlOf = (key: string) => `${avatarStorageConfig().publicUrl}/${key}`;

/** The key of a processed avatar URL of ours; undefined for anything else (an external URL). */
export function publicKeyOf(url: string): string | undefined {
  const base = `${avatarStorageConfig().publicUrl}/`;
  return url.startsWith(base) && url.slice(base.length).startsWith(PUBLIC_PREFIX) ? url.slice(base.length) : undefined;
}
