import { User } from "@users/core";
import { router } from "../trpc.ts";
import { committedUser, UserHeaders, withETag } from "./user-response.ts";
import { writeProcedure } from "./write-procedure.ts";

const tags = ["users"];


/** The avatar procedures, merged into `users` (router.ts): `users.avatarUpload`, `users.removeAvatar`. */
export const avatarsRouter = router({
  avatarUpload: writeProcedure({
    name: "users.avatarUpload",
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
    },
    operation: User.requestAvatarUpload,
    output: User.AvatarUpload,
  }),

  removeAvatar: writeProcedure({
    name: "users.removeAvatar",
    openapi: {
      method: "DELETE",
      path: "/v1/users/{userId}/avatar",
      tags,
      summary: "Remove the avatar",
      description: "`avatarUrl` becomes null (`user.avatar_removed`); a user without one is returned unchanged.",
      responseHeaders: UserHeaders,
    },
    operation: User.removeAvatar,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),
});
