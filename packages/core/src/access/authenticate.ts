import type { Actor } from "../context.ts";
import { AppError } from "../errors.ts";
import { normalizeRoles } from "../user-vocabulary.ts";
import { verifyAccessToken } from "./access-token.ts";
import { openSessionEntry, readAuthState, refusalFor } from "./auth-state.ts";
import { authenticate as authenticateClient, isClientToken } from "../clients/index.ts";

/**
 * The caller behind an access token, checked against the auth state with one consistent key-value read:
 * a logout, revocation, suspension, deletion or role change made a moment ago already counts. Suspension
 * and deletion end every session, so a token from before them stays invalid after a reactivation.
 */
export async function authenticate(accessToken: string): Promise<Extract<Actor, { kind: "user" | "client" }>> {
  if (isClientToken(accessToken)) return authenticateClient(accessToken);
  const claims = await verifyAccessToken(accessToken);
  const state = await readAuthState(claims.sub);
  // A suspended or pending account says so (403); its sessions are gone, so after a reactivation the
  // same token is 401 like any ended session.
  const refused = state && state.status !== "deleted" ? refusalFor(state.status) : null;
  if (refused) throw refused;
  if (!state || state.status === "deleted" || !openSessionEntry(state.sessions, claims.sid)) {
    throw new AppError("UNAUTHENTICATED", "This session has ended; sign in again.");
  }
  return { kind: "user", userId: claims.sub, roles: normalizeRoles(state.roles), sessionId: claims.sid };
}
