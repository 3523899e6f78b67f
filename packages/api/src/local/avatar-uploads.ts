/**
 * Avatars in `npm start` and the tests: the local S3 (s3-local.ts) with the avatars bucket, and the
 * processor Lambda's own handler (avatars/processor.ts) called with each object-created notification,
 * one at a time, as S3 would invoke it. Sets S3_ENDPOINT and AVATAR_BUCKET for the rest of the process
 * (read on first use by core/src/user/avatar-storage.ts), so it must start before the first avatar call.
 */
import type { S3Event } from "aws-lambda";
import type { AvatarOutcome } from "@users/core/user/avatar-processing";
import { startLocalS3, type LocalS3 } from "./s3-local.ts";

export interface LocalAvatarUploads {
  s3: LocalS3;
  bucket: string;
  /** The outcome of every notification handled, in order (for tests and the console log). */
  onOutcome(listener: (outcome: AvatarOutcome) => void): void;
  stop(): Promise<void>;
}

export async function startLocalAvatarUploads(options: {
  port: number;
  hostname?: string;
  directory: string | null;
  bucket?: string;
}): Promise<LocalAvatarUploads> {
  const bucket = options.bucket ?? process.env.AVATAR_BUCKET ?? "users-service-avatars";
  const listeners: ((outcome: AvatarOutcome) => void)[] = [];
  let queue = Promise.resolve();
  const { handler } = await import("../avatars/processor.ts");
  const s3 = await startLocalS3({
    port: options.port,
    hostname: options.hostname,
    directory: options.directory,
    buckets: [bucket],
    onEvent: (event: S3Event) => {
      if (!event.Records.some((record) => record.eventName.startsWith("ObjectCreated:"))) return;
      if (!event.Records.some((record) => record.s3.object.key.startsWith("uploads/"))) return;
      queue = queue
        .then(() => handler(event))
        .then((outcomes) => outcomes.forEach((outcome) => listeners.forEach((listener) => listener(outcome))))
        .catch((error: unknown) => console.error("avatar processing failed:", error));
    },
  });
  process.env.S3_ENDPOINT = s3.endpoint;
  process.env.AVATAR_BUCKET = bucket;
  return {
    s3,
    bucket,
    onOutcome: (listener) => void listeners.push(listener),
    async stop() {
      await queue;
      await s3.stop();
    },
  };
}
