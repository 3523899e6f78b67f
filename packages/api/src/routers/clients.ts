import { Clients } from "@users/core";
import * as z from "zod";
import { procedure, router } from "../trpc.ts";
import { writeProcedure } from "./write-procedure.ts";

const tags = ["clients"];

/* Creation takes no Idempotency-Key: its response holds the secret, which is never stored in the clear. */

/** Machine clients (OAuth client credentials); tokens come from POST /v1/oauth/token (REST only). */
export const clientsRouter = router({
  create: procedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/clients",
        tags,
        summary: "Create a machine client (admins)",
        description: "The `clientSecret` is shown only in this response; the service keeps only its hash.",
      },
      successStatus: 201,
    })
    .input(Clients.create.schema)
    .output(Clients.CreatedClient)
    .mutation(async ({ input, ctx }) => {
      const client = await Clients.create(input);
      ctx.response.status = 201;
      return client;
    }),

  list: procedure
    .meta({
      openapi: { method: "GET", path: "/v1/clients", tags, summary: "List machine clients (admins), without secrets" },
    })
    .input(z.void())
    .output(Clients.ClientList)
    .query(() => Clients.list()),

  revoke: writeProcedure({
    name: "clients.revoke",
    openapi: {
      method: "DELETE",
      path: "/v1/clients/{clientId}",
      tags,
      summary: "Revoke a machine client (admins)",
      description: "Its tokens stop working on the next request.",
    },
    successStatus: 204,
    operation: Clients.revoke,
    output: z.void(),
  }),
});
