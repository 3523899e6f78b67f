import { Entity } from "electrodb";
import { config } from "../config.ts";
import { dynamo } from "../dynamo/client.ts";
import { Statuses } from "../user/user.schema.ts";

/**
 * What an authenticated request must check, in one item per user (in the user's partition): the user's
 * status and roles, and the sessions that are still open (`<sessionId>@<expiresAt epoch s>`). Changes to
 * status and roles update it in the same transaction as the user; logout, revocation, a password change
 * and deletion remove sessions from it. So one key-value read per request sees every one of them.
 */
export const AuthStateEntity = new Entity(
  {
    model: { entity: "authState", version: "1", service: "users" },
    attributes: {
      userId: { type: "string", required: true },
      status: { type: Statuses, required: true },
      roles: { type: "list", items: { type: "string" }, required: true },
      sessions: { type: "set", items: "string" },
    },
    indexes: {
      byUser: {
        pk: { field: "pk", composite: ["userId"] },
        sk: { field: "sk", composite: [] },
      },
    },
  },
  { table: config().tableName, client: dynamo() },
);

export const sessionEntry = (sessionId: string, expiresAt: number) => `${sessionId}@${expiresAt}`;

/** An entry's session id and expiry (epoch seconds). */
export function parseSessionEntry(entry: string): { sessionId: string; expiresAt: number } {
  const at = entry.lastIndexOf("@");
  return { sessionId: entry.slice(0, at), expiresAt: Number(entry.slice(at + 1)) };
}

/** The open-session entry for `sessionId`, if it is there and not past its expiry. */
export function openSessionEntry(sessions: readonly string[] | undefined, sessionId: string, nowSeconds: number) {
  return (sessions ?? []).find((entry) => {
    const parsed = parseSessionEntry(entry);
    return parsed.sessionId === sessionId && parsed.expiresAt > nowSeconds;
  });
}
