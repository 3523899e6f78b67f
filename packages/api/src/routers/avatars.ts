import { idempotent, User } from "@users/core";
import { ifMatchVersion } from "../context.ts";
import { procedure, router } from "../trpc.ts";
import { idempotencyKeyOf, withIdempotencyKey, WriteHeaders } from "./idempotency-key.ts";

const tags = ["users"];

const writes = {
  upload: idempotent("users.avatarUpload", User.requestAvatarUpload),
  remove: idempotent("users.removeAvatar", User.removeAvatar),
};

/** The avatar procedures, merged into `users` (router.ts): `users.avatarUpload`, `users.removeAvatar`. */
export const avatarsRouter = router({
  avatarUpload: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/avatar",
        tags,
        summary: "Get a form to upload a new avatar",
        description:
          "Returns an S3 presigned POST: send a multipart form to `url` with every field of `fields`, then `file`. " +
          "S3 refuses another type, a larger file or a form older than 5 minutes (403). Within seconds of the " +
          "upload the user's `avatarUrl` points to a 256×256 WebP (`user.avatar_changed`); bytes that are not " +
          "an image of the declared type change nothing.",
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        errorResponses: [400, 404, 413, 415],
      },
    })
    .input(withIdempotencyKey(User.requestAvatarUpload.schema))
    .output(User.AvatarUpload)
    .mutation(({ input: { idempotencyKey, ...input }, ctx }) => writes.upload(input, idempotencyKeyOf(ctx, idempotencyKey))),

  removeAvatar: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/users/{userId}/avatar",
        tags,
        summary: "Remove the avatar",
        description: "`avatarUrl` becomes null (`user.avatar_removed`); a user without one is returned unchanged.",
        requestHeaders: WriteHeaders,
        errorResponses: [400, 404, 412],
      },
    })
    .input(withIdempotencyKey(User.removeAvatar.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      const expectedVersion = input.expectedVersion ?? ifMatchVersion(ctx.request.headers);
      const user = await writes.remove({ ...input, expectedVersion }, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.headers.ETag = `"${user.version}"`;
      return user;
    }),
});
