import { Audit, User } from "@users/core";
import { z } from "zod";
import { ifMatchVersion, type Context } from "../context.ts";
import { procedure, router } from "../trpc.ts";

const tags = ["users"];

const IfMatch = z.object({
  "if-match": z.string().optional().meta({ description: 'Apply only if the user is at this version: `"3"`. Else 412.' }),
});
const UserHeaders = z.object({ ETag: z.string().meta({ description: 'The user\'s version: `"3"`.' }) });
const CreatedHeaders = UserHeaders.extend({ Location: z.string().meta({ description: "/v1/users/{userId}" }) });

/** `expectedVersion` from the input, else from REST's `If-Match`. */
const expectedVersion = (ctx: Context, input: { expectedVersion?: number | undefined }) =>
  input.expectedVersion ?? ifMatchVersion(ctx.request.headers);

/** A single-user REST response carries the version as its ETag. */
function withETag(ctx: Context, user: User.User): User.User {
  ctx.response.headers.ETag = `"${user.version}"`;
  return user;
}

export const usersRouter = router({
  create: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users",
        tags,
        summary: "Create a user",
        description: "Public sign-up makes an active customer; admins may set roles and status.",
        protect: false,
        responseHeaders: CreatedHeaders,
        errorResponses: [400, 409, 413, 415],
      },
      successStatus: 201,
    })
    .input(User.create.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) => {
      const user = await User.create(input);
      ctx.response.status = 201;
      ctx.response.headers.Location = `/v1/users/${user.userId}`;
      return withETag(ctx, user);
    }),

  get: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}",
        tags,
        summary: "Get a user",
        responseHeaders: UserHeaders,
        errorResponses: [400, 404],
      },
    })
    .input(User.get.schema)
    .output(User.User)
    .query(async ({ input, ctx }) => withETag(ctx, await User.get(input))),

  list: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users",
        tags,
        summary: "List users, newest first",
        description: "Deleted users appear only with `status=deleted`. Page with `cursor` until `nextCursor` is null.",
        errorResponses: [400],
      },
    })
    .input(User.list.schema)
    .output(User.UserPage)
    .query(({ input }) => User.list(input)),

  update: procedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/v1/users/{userId}",
        tags,
        summary: "Change some profile fields",
        description: "Absent fields are kept; null clears an optional field.",
        requestHeaders: IfMatch,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(User.update.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) =>
      withETag(ctx, await User.update({ ...input, expectedVersion: expectedVersion(ctx, input) })),
    ),

  replace: procedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/v1/users/{userId}",
        tags,
        summary: "Replace the profile",
        description: "Every editable field is set; absent optional fields are cleared.",
        requestHeaders: IfMatch,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(User.replace.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) =>
      withETag(ctx, await User.replace({ ...input, expectedVersion: expectedVersion(ctx, input) })),
    ),

  delete: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/users/{userId}",
        tags,
        summary: "Delete a user (soft)",
        description: "The user becomes `deleted`; its email and username are freed. Later reads are 404.",
        requestHeaders: IfMatch,
        errorResponses: [400, 404, 409, 412],
      },
      successStatus: 204,
    })
    .input(User.remove.schema)
    .output(z.void())
    .mutation(async ({ input, ctx }) => {
      await User.remove({ ...input, expectedVersion: expectedVersion(ctx, input) });
      ctx.response.status = 204;
    }),

  setStatus: procedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/v1/users/{userId}/status",
        tags,
        summary: "Suspend, reactivate or hold a user",
        requestHeaders: IfMatch,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(User.setStatus.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) =>
      withETag(ctx, await User.setStatus({ ...input, expectedVersion: expectedVersion(ctx, input) })),
    ),

  addRole: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/roles",
        tags,
        summary: "Grant a role",
        description: "Granting a role the user has changes nothing.",
        requestHeaders: IfMatch,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 412, 413, 415],
      },
    })
    .input(User.addRole.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) =>
      withETag(ctx, await User.addRole({ ...input, expectedVersion: expectedVersion(ctx, input) })),
    ),

  removeRole: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/users/{userId}/roles/{role}",
        tags,
        summary: "Take a role away",
        description: "A user keeps at least one role; the last active admin keeps `admin` (409 LAST_ADMIN).",
        requestHeaders: IfMatch,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412],
      },
    })
    .input(User.removeRole.schema)
    .output(User.User)
    .mutation(async ({ input, ctx }) =>
      withETag(ctx, await User.removeRole({ ...input, expectedVersion: expectedVersion(ctx, input) })),
    ),

  changePassword: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/password",
        tags,
        summary: "Change one's own password",
        description: "Needs the current password. Ends every other session of the user.",
        errorResponses: [400, 401, 403, 404, 413, 415],
      },
      successStatus: 204,
    })
    .input(User.changePassword.schema)
    .output(z.void())
    .mutation(async ({ input, ctx }) => {
      await User.changePassword(input);
      ctx.response.status = 204;
    }),

  audit: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}/audit",
        tags,
        summary: "A user's audit trail, newest first",
        errorResponses: [400, 404],
      },
    })
    .input(Audit.list.schema)
    .output(Audit.AuditPage)
    .query(({ input }) => Audit.list(input)),
});
