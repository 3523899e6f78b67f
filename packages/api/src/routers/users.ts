import { Audit, Privacy, User, idempotent } from "@users/core";
import { z } from "zod";
import { ifMatchVersion, type Context } from "../context.ts";
import { procedure, router } from "../trpc.ts";
import { idempotencyKeyOf, withIdempotencyKey, WriteHeaders } from "./idempotency-key.ts";

const tags = ["users"];

/** The domain's writes, each callable with an idempotency key. */
const writes = {
  create: idempotent("users.create", User.create),
  update: idempotent("users.update", User.update),
  replace: idempotent("users.replace", User.replace),
  remove: idempotent("users.delete", User.remove),
  setStatus: idempotent("users.setStatus", User.setStatus),
  addRole: idempotent("users.addRole", User.addRole),
  removeRole: idempotent("users.removeRole", User.removeRole),
  changePassword: idempotent("users.changePassword", User.changePassword),
  erase: idempotent("users.erase", Privacy.erase),
};
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
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        responseHeaders: CreatedHeaders,
        errorResponses: [400, 409, 413, 415],
      },
      successStatus: 201,
    })
    .input(withIdempotencyKey(User.create.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      const user = await writes.create(input, idempotencyKeyOf(ctx, idempotencyKey));
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
        requestHeaders: WriteHeaders,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(withIdempotencyKey(User.update.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) =>
      withETag(
        ctx,
        await writes.update({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey)),
      ),
    ),

  replace: procedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/v1/users/{userId}",
        tags,
        summary: "Replace the profile",
        description: "Every editable field is set; absent optional fields are cleared.",
        requestHeaders: WriteHeaders,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(withIdempotencyKey(User.replace.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) =>
      withETag(
        ctx,
        await writes.replace({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey)),
      ),
    ),

  delete: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/users/{userId}",
        tags,
        summary: "Delete a user (soft)",
        description: "The user becomes `deleted`; its email and username are freed. Later reads are 404.",
        requestHeaders: WriteHeaders,
        errorResponses: [400, 404, 409, 412],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(User.remove.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await writes.remove({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.status = 204;
    }),

  setStatus: procedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/v1/users/{userId}/status",
        tags,
        summary: "Suspend, reactivate or hold a user",
        requestHeaders: WriteHeaders,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412, 413, 415],
      },
    })
    .input(withIdempotencyKey(User.setStatus.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) =>
      withETag(
        ctx,
        await writes.setStatus({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey)),
      ),
    ),

  addRole: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/roles",
        tags,
        summary: "Grant a role",
        description: "Granting a role the user has changes nothing.",
        requestHeaders: WriteHeaders,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 412, 413, 415],
      },
    })
    .input(withIdempotencyKey(User.addRole.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) =>
      withETag(
        ctx,
        await writes.addRole({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey)),
      ),
    ),

  removeRole: procedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/users/{userId}/roles/{role}",
        tags,
        summary: "Take a role away",
        description: "A user keeps at least one role; the last active admin keeps `admin` (409 LAST_ADMIN).",
        requestHeaders: WriteHeaders,
        responseHeaders: UserHeaders,
        errorResponses: [400, 404, 409, 412],
      },
    })
    .input(withIdempotencyKey(User.removeRole.schema))
    .output(User.User)
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) =>
      withETag(
        ctx,
        await writes.removeRole({ ...input, expectedVersion: expectedVersion(ctx, input) }, idempotencyKeyOf(ctx, idempotencyKey)),
      ),
    ),

  changePassword: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/password",
        tags,
        summary: "Change one's own password",
        description: "Needs the current password. Ends every other session of the user.",
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        errorResponses: [400, 401, 403, 404, 413, 415],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(User.changePassword.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await writes.changePassword(input, idempotencyKeyOf(ctx, idempotencyKey));
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

  dataExport: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}/data-export",
        tags,
        summary: "A copy of everything stored about the user",
        description: "The user, every session and the whole audit trail (the person's right of access). The user themself or an admin.",
        errorResponses: [400, 404],
      },
    })
    .input(Privacy.dataExport.schema)
    .output(Privacy.DataExport)
    .query(({ input }) => Privacy.dataExport(input)),

  erase: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/users/{userId}/erase",
        tags,
        summary: "Erase the user (right to be forgotten)",
        description:
          "Deletes the user, their sessions, claims and cached responses, and destroys their data key: their audit events are kept but their personal values in them can no longer be read. Publishes `user.erased`. The user themself or an admin.",
        requestHeaders: WriteHeaders.pick({ "idempotency-key": true }),
        errorResponses: [400, 404, 409],
      },
      successStatus: 204,
    })
    .input(withIdempotencyKey(Privacy.erase.schema))
    .output(z.void())
    .mutation(async ({ input: { idempotencyKey, ...input }, ctx }) => {
      await writes.erase(input, idempotencyKeyOf(ctx, idempotencyKey));
      ctx.response.status = 204;
    }),
});
