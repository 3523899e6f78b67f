import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import { ACCESS_TOKEN_SECONDS } from "../token-signing/index.ts";
import { useActor, type Actor } from "../context.ts";
import { writeTransaction } from "../store/transaction.ts";
import { db } from "../store/service.ts";
import { AppError } from "../errors.ts";
import { Policy } from "../policy.ts";
import { validated } from "../validation.ts";
import { issueClientToken, verifyClientToken } from "./client-token.ts";
import type { StoredClient } from "../store/entities/machine-client.entity.ts";
import {
  ClientRef,
  ClientScopes,
  CreateClientInput,
  TokenRequest,
  normalizeScopes,
  type Client,
  type ClientScope,
  type CreatedClient,
  type TokenResponse,
} from "./client.schema.ts";

export * from "./client.schema.ts";
export { isClientToken } from "./client-token.ts";

const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest();

const toClient = (stored: StoredClient): Client => ({
  clientId: stored.clientId,
  name: stored.name,
  scopes: normalizeScopes(stored.scopes),
  createdAt: stored.createdAt,
});

/**
 * Client events are not about a user: they are kept in the acting admin's audit trail (`userId` is the
 * admin; `changes.clientId` names the client), which is where "what did this admin do" is read.
 * A system actor (a CLI) files them under `system:<name>`.
 */
function auditOwner(actor: Actor): string {
  return actor.kind === "user" ? actor.userId : actor.kind === "system" ? `system:${actor.name}` : actor.kind;
}

/** A new client with a secret shown only in this response. */
export const create = validated(CreateClientInput, async ({ name, scopes }): Promise<CreatedClient> => {
  const actor = useActor();
  Policy.manageClients(actor);
  const clientId = randomUUID();
  const clientSecret = randomBytes(32).toString("base64url");
  const createdAt = new Date().toISOString();
  const owner = auditOwner(actor);
  const event = await sealAuditEvent(
    auditEvent(
      "client.created",
    owner,
    { clientId: { from: null, to: clientId }, name: { from: null, to: name }, scopes: { from: null, to: scopes } },
    { occurredAt: createdAt },
    ),
  );
  const outcome = await writeTransaction((e) => [
    e.machineClient
      .create({ clientId, name, scopes, secretHash: hashSecret(clientSecret).toString("hex"), createdAt, createdBy: owner })
      .commit(),
    putAuditEvent(e, event),
  ]);
  if (!outcome.committed) throw new Error("Creating the client conflicted with another write");
  return { clientId, clientSecret, name, scopes, createdAt };
});

/** Every client, newest first, without secrets. */
export async function list(): Promise<{ items: Client[] }> {
  Policy.manageClients(useActor());
  const { data } = await db().machineClient.query.allClients({}).go({ pages: "all", order: "desc" });
  return { items: data.map(toClient) };
}

/** Removes a client: its tokens stop working on the next request. */
export const revoke = validated(ClientRef, async ({ clientId }): Promise<void> => {
  const actor = useActor();
  Policy.manageClients(actor);
  const { data: stored } = await db().machineClient.get({ clientId }).go({ consistent: true });
  const notFound = new AppError("NOT_FOUND", "No such client.");
  if (!stored) throw notFound;
  const event = await sealAuditEvent(
    auditEvent("client.revoked", auditOwner(actor), {
    clientId: { from: clientId, to: null },
    name: { from: stored.name, to: null },
    scopes: { from: normalizeScopes(stored.scopes), to: null },
    }),
  );
  const outcome = await writeTransaction((e) => [
    e.machineClient
      .delete({ clientId })
      .where(({ secretHash }, { eq }) => eq(secretHash, stored.secretHash))
      .commit(),
    putAuditEvent(e, event),
  ]);
  if (!outcome.committed) throw notFound; // revoked by someone else a moment ago
});

/** The OAuth error of a token request: the contract's code plus RFC 6749's `error`. */
export class OAuthError extends AppError {
  constructor(
    readonly oauthError: "invalid_client" | "invalid_request" | "invalid_scope" | "unsupported_grant_type",
    message: string,
  ) {
    super(oauthError === "invalid_client" ? "INVALID_CLIENT" : "VALIDATION_FAILED", message);
  }
}

const invalidClient = () => new OAuthError("invalid_client", "The client id or secret is not correct.");

async function clientWithSecret(clientId: string, clientSecret: string): Promise<StoredClient> {
  const presented = hashSecret(clientSecret);
  const stored = /^[0-9a-f-]{36}$/.test(clientId)
    ? (await db().machineClient.get({ clientId }).go({ consistent: true })).data
    : null;
  // Compare against something either way, so an unknown id costs the same as a wrong secret.
  const expected = stored ? Buffer.from(stored.secretHash, "hex") : hashSecret(randomUUID());
  if (!timingSafeEqual(presented, expected) || !stored) throw invalidClient();
  return stored;
}

/** Client credentials (RFC 6749 §4.4) → a 15-minute access token for the requested scopes (default: all). */
export const issueToken = validated(TokenRequest, async ({ grantType, clientId, clientSecret, scope }): Promise<TokenResponse> => {
  if (grantType !== "client_credentials") {
    throw new OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported.");
  }
  const stored = await clientWithSecret(clientId, clientSecret);
  const allowed = normalizeScopes(stored.scopes);
  let scopes: ClientScope[] = allowed;
  if (scope !== undefined && scope.trim() !== "") {
    const requested = scope.trim().split(/\s+/);
    const unknown = requested.filter((s) => !(ClientScopes as readonly string[]).includes(s) || !allowed.includes(s as ClientScope));
    if (unknown.length > 0) throw new OAuthError("invalid_scope", `Not granted to this client: ${unknown.join(" ")}.`);
    scopes = normalizeScopes(requested);
  }
  const accessToken = await issueClientToken(stored.clientId, scopes);
  return { access_token: accessToken, token_type: "Bearer", expires_in: ACCESS_TOKEN_SECONDS, scope: scopes.join(" ") };
});

/**
 * The caller behind a client's token, checked against the client item with one consistent read: a
 * revoked client's tokens stop on the very next request.
 */
export async function authenticate(token: string): Promise<Extract<Actor, { kind: "client" }>> {
  const claims = await verifyClientToken(token);
  const { data: stored } = await db().machineClient.get({ clientId: claims.clientId }).go({ consistent: true });
  if (!stored) throw new AppError("UNAUTHENTICATED", "This client has been revoked.");
  const current = normalizeScopes(stored.scopes);
  return { kind: "client", clientId: stored.clientId, scopes: claims.scopes.filter((s) => current.includes(s)) };
}

/** Bad input to a token request (missing credentials), in OAuth's terms. */
export const invalidTokenRequest = (message: string) => new OAuthError("invalid_request", message);
