import * as z from "zod";
import { ClientScope, normalizeScopes } from "../client-vocabulary.ts";

export { ClientScope, ClientScopes, normalizeScopes } from "../client-vocabulary.ts";

export const CreateClientInput = z.strictObject({
  name: z.string().trim().min(1).max(100).meta({ description: "What the client is, for people: `billing-sync`." }),
  scopes: z.array(ClientScope).min(1).max(10).transform(normalizeScopes).meta({ description: "Duplicates are ignored." }),
});

export const ClientId = z.uuid().meta({ description: "The client's id: `client_id` at /v1/oauth/token." });
export const ClientRef = z.strictObject({ clientId: ClientId });

export const Client = z
  .object({
    clientId: z.string().meta({ format: "uuid" }),
    name: z.string(),
    scopes: z.array(ClientScope),
    createdAt: z.string().meta({ format: "date-time" }),
  })
  .meta({ id: "Client" });
export type Client = z.infer<typeof Client>;

export const CreatedClient = Client.extend({
  clientSecret: z.string().meta({ description: "Shown only in this response; stored only as a hash." }),
}).meta({ id: "CreatedClient" });
export type CreatedClient = z.infer<typeof CreatedClient>;

export const ClientList = z.object({ items: z.array(Client) }).meta({ id: "ClientList" });

/** A client-credentials token request (RFC 6749 §4.4), once the transport has read the client's credentials. */
export const TokenRequest = z.object({
  grantType: z.string(),
  clientId: z.string().max(200),
  clientSecret: z.string().max(200),
  scope: z.string().max(200).optional(),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  scope: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
