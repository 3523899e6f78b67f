/**
 * Avatars: a user (or an admin) asks for an upload form, the browser sends the picture straight to S3,
 * and the processor (avatar-processing.ts) turns it into a public 256×256 WebP and sets `avatarUrl`
 * here, through the same versioned, audited write as every other change.
 */
import { randomUUID } from "node:crypto";
import * as z from "zod";
import { useActor, useContext } from "../context.ts";
import { Policy } from "../policy.ts";
import { validated } from "../validation.ts";
import { deleteObject, presignUpload, publicKeyOf, UPLOAD_PREFIX } from "./avatar-storage.ts";
import { UserId, type User } from "./user.schema.ts";
import { toUser } from "./user.view.ts";
import { changeUser, loadLiveUser, nextVersion } from "./user.write.ts";

export const AvatarContentTypes = ["image/png", "image/jpeg", "image/webp"] as const;
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
/** How long an upload form stays valid. */
export const AVATAR_UPLOAD_SECONDS = 5 * 60;

const ExpectedVersion = z.number().int().min(1).optional().meta({ description: "REST: `If-Match`; a mismatch is 412." });

export const AvatarUploadInput = z
  .strictObject({
    userId: UserId,
    contentType: z.enum(AvatarContentTypes).meta({ description: "The picture's type; the upload must be of this type." }),
    size: z
      .number()
      .int()
      .min(1)
      .max(MAX_AVATAR_BYTES, "must be at most 5 MiB (5242880 bytes)")
      .meta({ description: "The file's size in bytes; at most 5 MiB. The upload may not be larger." }),
  })
  .meta({ id: "AvatarUploadInput" });

export const AvatarUpload = z
  .object({
    url: z.string().meta({ description: "Where to POST the multipart form." }),
    fields: z.record(z.string(), z.string()).meta({ description: "Every field, in this order, before `file`." }),
    expiresAt: z.string().meta({ description: "When the form stops being accepted (5 minutes).", format: "date-time" }),
  })
  .meta({ id: "AvatarUpload" });
export type AvatarUpload = z.infer<typeof AvatarUpload>;

export const RemoveAvatarInput = z.strictObject({ userId: UserId, expectedVersion: ExpectedVersion });

/** `uploads/<userId>/<uploadId>`: the private key an upload form allows, naming its user. */
export const uploadKeyFor = (userId: string) => `${UPLOAD_PREFIX}${userId}/${randomUUID()}`;

const uploadKeyPattern = new RegExp(`^${UPLOAD_PREFIX}([0-9a-f-]{36})/([0-9a-f-]{36})$`);

/** The user and upload id an upload key names, or null for a key no form of ours allows. */
export function parseUploadKey(key: string): { userId: string; uploadId: string } | null {
  const match = uploadKeyPattern.exec(key);
  return match && UserId.safeParse(match[1]).success ? { userId: match[1]!, uploadId: match[2]! } : null;
}

/**
 * An S3 upload form for the user's new avatar. Its policy allows exactly one key under the user's own
 * upload prefix, the declared content type and at most the declared size, for 5 minutes.
 */
export const requestAvatarUpload = validated(AvatarUploadInput, async ({ userId, contentType, size }): Promise<AvatarUpload> => {
  Policy.handlePersonalData(useActor(), userId);
  await loadLiveUser(userId);
  return presignUpload({
    key: uploadKeyFor(userId),
    contentType,
    maxBytes: size,
    expiresInSeconds: AVATAR_UPLOAD_SECONDS,
    // Signed into the policy: the processor's audit event points back at the request that asked.
    metadata: { "request-id": useContext().requestId },
  });
});

/** Removes the processed file behind a URL of ours; a failure leaves an orphan, never a broken user. */
async function deleteAvatarFile(url: string | undefined): Promise<void> {
  const key = url ? publicKeyOf(url) : undefined;
  if (!key) return;
  await deleteObject(key).catch((error: unknown) => {
    console.warn(JSON.stringify({ level: "warn", message: "Could not delete a replaced avatar", key, error: String(error) }));
  });
}

/** Clears the user's avatar (`user.avatar_removed`); a user without one is returned unchanged. */
export const removeAvatar = validated(RemoveAvatarInput, async ({ userId, expectedVersion }): Promise<User> => {
  Policy.handlePersonalData(useActor(), userId);
  let removed: string | undefined;
  const stored = await changeUser(userId, expectedVersion, (current) => {
    removed = current.avatarUrl;
    if (current.avatarUrl === undefined) return null;
    return {
      next: nextVersion(current, { avatarUrl: undefined }),
      event: { type: "user.avatar_removed", changes: { avatarUrl: { from: current.avatarUrl, to: null } } },
    };
  });
  await deleteAvatarFile(removed);
  return toUser(stored);
});

/**
 * Points the user's avatar at a processed picture (`user.avatar_changed`), for the processor (a system
 * actor). The picture it replaces, if ours, is deleted.
 */
export async function setProcessedAvatar(userId: string, url: string): Promise<User> {
  Policy.handlePersonalData(useActor(), userId);
  let replaced: string | undefined;
  const stored = await changeUser(userId, undefined, (current) => {
    replaced = current.avatarUrl;
    return {
      next: nextVersion(current, { avatarUrl: url }),
      event: { type: "user.avatar_changed", changes: { avatarUrl: { from: current.avatarUrl ?? null, to: url } } },
    };
  });
  if (replaced !== url) await deleteAvatarFile(replaced);
  return toUser(stored);
}
