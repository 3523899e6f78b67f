import { Access, Audit, Privacy, User } from "@users/core";
import * as z from "zod";
import { procedure, router } from "../trpc.ts";
import { committedUser, UserHeaders, withETag } from "./user-response.ts";
import { writeProcedure } from "./write-procedure.ts";
import { userMfaProcedures } from "./mfa.ts";

const tags = ["users"];

const CreatedHeaders = UserHeaders.extend({ Location: z.string().meta({ description: "/v1/users/{userId}" }) });

export const usersRouter = router({
  create: writeProcedure({
    name: "users.create",
    openapi: {
      method: "POST",
      path: "/v1/users",
      tags,
      summary: "Create a user",
      description: "Public sign-up makes an active customer; admins may set roles and status.",
      protect: false,
      optionalAuth: true,
      responseHeaders: CreatedHeaders,
      errorCodes: ["FORBIDDEN", "INSUFFICIENT_SCOPE", "EMAIL_TAKEN", "USERNAME_TAKEN"],
    },
    successStatus: 201,
    operation: User.create,
    output: User.User,
    resultOfCommitted: committedUser,
    respond: (ctx, user) => {
      ctx.response.headers.Location = `/v1/users/${user.userId}`;
      return withETag(ctx, user);
    },
  }),

  stats: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/stats",
        tags,
        summary: "How many users there are, by status and by role",
        description: "Exact once a write has answered; `total` counts every user that is not deleted.",
      },
    })
    .input(z.object({}).optional())
    .output(User.UserStats)
    .query(() => User.stats({})),

  get: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}",
        tags,
        summary: "Get a user",
        responseHeaders: UserHeaders,
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
        summary: "List or search users",
        description:
          "Newest first; with `q`, search results ordered by the first matching word, then newest first. Deleted users appear only with `status=deleted`. Page with `cursor` until `nextCursor` is null. `total` is exact when the only filter is `status`.",
      },
    })
    .input(User.list.schema)
    .output(User.UserPage)
    .query(({ input }) => User.list(input)),

  update: writeProcedure({
    name: "users.update",
    openapi: {
      method: "PATCH",
      path: "/v1/users/{userId}",
      tags,
      summary: "Change some profile fields",
      description: "Absent fields are kept; null clears an optional field.",
      responseHeaders: UserHeaders,
      errorCodes: ["EMAIL_TAKEN", "USERNAME_TAKEN"],
    },
    operation: User.update,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),

  replace: writeProcedure({
    name: "users.replace",
    openapi: {
      method: "PUT",
      path: "/v1/users/{userId}",
      tags,
      summary: "Replace the profile",
      description: "Every editable field is set; absent optional fields are cleared.",
      responseHeaders: UserHeaders,
      errorCodes: ["EMAIL_TAKEN", "USERNAME_TAKEN"],
    },
    operation: User.replace,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),

  delete: writeProcedure({
    name: "users.delete",
    openapi: {
      method: "DELETE",
      path: "/v1/users/{userId}",
      tags,
      summary: "Delete a user (soft)",
      description: "The user becomes `deleted`; its email and username are freed, its sessions end. Later reads are 404.",
      errorCodes: ["LAST_ADMIN"],
    },
    successStatus: 204,
    operation: User.remove,
    output: z.void(),
    ifMatch: true,
  }),

  setStatus: writeProcedure({
    name: "users.setStatus",
    openapi: {
      method: "PUT",
      path: "/v1/users/{userId}/status",
      tags,
      summary: "Suspend, reactivate or hold a user",
      description: "Suspending (or holding) a user ends their sessions: tokens from before stay invalid after a reactivation.",
      responseHeaders: UserHeaders,
      errorCodes: ["LAST_ADMIN"],
    },
    operation: User.setStatus,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),

  addRole: writeProcedure({
    name: "users.addRole",
    openapi: {
      method: "POST",
      path: "/v1/users/{userId}/roles",
      tags,
      summary: "Grant a role",
      description: "Granting a role the user has changes nothing.",
      responseHeaders: UserHeaders,
    },
    operation: User.addRole,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),

  removeRole: writeProcedure({
    name: "users.removeRole",
    openapi: {
      method: "DELETE",
      path: "/v1/users/{userId}/roles/{role}",
      tags,
      summary: "Take a role away",
      description: "A user keeps at least one role; the last active admin keeps `admin` (409 LAST_ADMIN).",
      responseHeaders: UserHeaders,
      errorCodes: ["LAST_ADMIN"],
    },
    operation: User.removeRole,
    output: User.User,
    ifMatch: true,
    respond: withETag,
    resultOfCommitted: committedUser,
  }),

  changePassword: writeProcedure({
    name: "users.changePassword",
    openapi: {
      method: "POST",
      path: "/v1/users/{userId}/password",
      tags,
      summary: "Change one's own password",
      description:
        "Needs the current password; a wrong one is 400 VALIDATION_FAILED (an issue on `currentPassword`) and counts like a failed sign-in (5 in 15 minutes: 429). Ends every other session of the user.",
      errorCodes: ["TOO_MANY_ATTEMPTS"],
    },
    successStatus: 204,
    operation: User.changePassword,
    output: z.void(),
  }),

  audit: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}/audit",
        tags,
        summary: "A user's audit trail, newest first",
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
      },
    })
    .input(Privacy.dataExport.schema)
    .output(Privacy.DataExport)
    .query(({ input }) => Privacy.dataExport(input)),

  erase: writeProcedure({
    name: "users.erase",
    openapi: {
      method: "POST",
      path: "/v1/users/{userId}/erase",
      tags,
      summary: "Erase the user (right to be forgotten)",
      description:
        "Deletes the user, their sessions, claims, MFA factor and data key: their audit events are kept but their personal values in them can no longer be read. Publishes `user.erased`. The user themself or an admin.",
      errorCodes: ["LAST_ADMIN"],
    },
    successStatus: 204,
    operation: Privacy.erase,
    output: z.void(),
  }),

  sessions: procedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/users/{userId}/sessions",
        tags,
        summary: "A user's open sessions, newest first",
        description: "The user themself or an admin.",
      },
    })
    .input(Access.userSessions.schema)
    .output(Access.SessionList)
    .query(({ input }) => Access.userSessions(input)),

  revokeSessions: writeProcedure({
    name: "users.revokeSessions",
    openapi: {
      method: "DELETE",
      path: "/v1/users/{userId}/sessions",
      tags,
      summary: "Sign a user out everywhere",
      description: "Every session of the user ends; their tokens stop working on the next request. Event `auth.sessions_revoked`.",
    },
    successStatus: 204,
    operation: Access.revokeUserSessions,
    output: z.void(),
  }),

  ...userMfaProcedures,
});
