/**
 * What happens to an uploaded avatar, once S3 says it arrived: the bytes must be the PNG, JPEG or WebP
 * the form declared (checked by signature, not by name), decode within the pixel limit, and become a
 * 256×256 WebP without metadata under the public prefix; then the user's avatarUrl points to it. Bytes
 * that are not such an image change nothing. The raw upload is deleted either way.
 *
 * The change is made by the system actor `avatar-processor`, under the request id of the request that
 * asked for the upload form (signed into it as metadata), so the audit trail leads back to it. The
 * Lambda handler and the local runtime both call this.
 */
import { randomUUID } from "node:crypto";
import { withContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { parseUploadKey, setProcessedAvatar, MAX_AVATAR_BYTES } from "./avatar.ts";
import { detectImageType, NotAnImage, toAvatarWebp } from "./avatar-image.ts";
import { deleteObject, PUBLIC_PREFIX, publicUrlOf, readObject, writePublicObject } from "./avatar-storage.ts";

export const PROCESSOR = "avatar-processor";

export type AvatarOutcome =
  | { outcome: "changed"; userId: string; avatarUrl: string }
  | { outcome: "rejected"; reason: "not-an-upload-key" | "too-large" | "not-an-image" | "type-mismatch" | "user-gone"; key: string }
  | { outcome: "gone"; key: string };

function log(level: "info" | "warn", message: string, fields: Record<string, unknown>) {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === "warn") console.warn(line);
  else console.info(line);
}

/** Processes the upload at `key`; idempotent (a second notification finds the upload gone). */
export async function processAvatarUpload(key: string): Promise<AvatarOutcome> {
  const owner = parseUploadKey(key);
  const reject = async (reason: Extract<AvatarOutcome, { outcome: "rejected" }>["reason"]): Promise<AvatarOutcome> => {
    await deleteObject(key);
    log("warn", "Avatar upload rejected", { key, reason });
    return { outcome: "rejected", reason, key };
  };
  if (!owner) return reject("not-an-upload-key");

  const upload = await readObject(key, MAX_AVATAR_BYTES);
  if (upload === null) return { outcome: "gone", key };
  if (upload === "too-large") return reject("too-large");

  const actual = await detectImageType(upload.bytes);
  if (!actual) return reject("not-an-image");
  if (actual !== upload.contentType) return reject("type-mismatch");

  let webp: Buffer;
  try {
    webp = await toAvatarWebp(upload.bytes);
  } catch (error) {
    if (error instanceof NotAnImage) return reject("not-an-image");
    throw error;
  }

  const publicKey = `${PUBLIC_PREFIX}${owner.userId}/${randomUUID()}.webp`;
  await writePublicObject(publicKey, webp, "image/webp");
  const avatarUrl = publicUrlOf(publicKey);
  try {
    const requestId = upload.metadata["request-id"];
    await withContext({ actor: { kind: "system", name: PROCESSOR }, ...(requestId ? { requestId } : {}) }, () =>
      setProcessedAvatar(owner.userId, avatarUrl),
    );
  } catch (error) {
    await deleteObject(publicKey);
    if (error instanceof AppError && error.code === "USER_NOT_FOUND") return reject("user-gone");
    throw error;
  }
  await deleteObject(key);
  log("info", "Avatar changed", { userId: owner.userId, avatarUrl, bytesIn: upload.bytes.length, bytesOut: webp.length });
  return { outcome: "changed", userId: owner.userId, avatarUrl };
}
