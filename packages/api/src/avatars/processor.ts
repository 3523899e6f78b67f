/**
 * Lambda entry point for S3's object-created notifications on the avatars bucket's upload prefix
 * (infra/avatars.ts). Each new upload is checked and turned into the user's avatar, or deleted
 * (packages/core/src/user/avatar-processing.ts). `npm start` feeds the local S3 server's events to the
 * same function. A throw (S3 or DynamoDB unavailable) makes Lambda retry the notification; a retry
 * finds a handled upload already gone.
 */
import type { S3Event } from "aws-lambda";
import { flushMetrics } from "@users/core/observability/index";
import { processAvatarUpload, type AvatarOutcome } from "@users/core/user/avatar-processing";

/** S3 notifications carry keys URL-encoded, spaces as `+`. */
export const objectKeyOf = (record: S3Event["Records"][number]) => decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));

export async function handler(event: S3Event): Promise<AvatarOutcome[]> {
  try {
    const outcomes: AvatarOutcome[] = [];
    for (const record of event.Records) {
      if (!record.eventName.startsWith("ObjectCreated:")) continue;
      outcomes.push(await processAvatarUpload(objectKeyOf(record)));
    }
    return outcomes;
  } finally {
    flushMetrics();
  }
}
