import { useContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { db } from "../store/service.ts";
import { conditionally } from "../store/transaction.ts";
import { normalizeRoles } from "../user-vocabulary.ts";
import { issueAccessToken } from "./access-token.ts";
import { ACCESS_TOKEN_SECONDS, REFRESH_GRACE_SECONDS } from "./access.config.ts";
import type { SessionTokens } from "./access.schema.ts";
import { nowSeconds, openSessionEntry, readAuthState, refusalFor } from "./auth-state.ts";
import { hashSecret, newRefreshToken, parseRefreshToken, sameHash, seal, unseal } from "./refresh-token.ts";
import { endSession } from "./sessions.ts";

const invalidRefresh = () => new AppError("INVALID_REFRESH_TOKEN", "The refresh token is not valid; sign in again.");

type GraceCopy = { accessToken: string; refreshToken: string };

/**
 * Refresh rotates: each refresh token works once. The token just replaced still returns the same new pair
 * for 10 seconds (two tabs refreshing at once); any older one is reuse, which ends the whole session.
 * Answers the new tokens and whose they are.
 */
export async function refresh(refreshToken: string): Promise<SessionTokens & { userId: string }> {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) throw invalidRefresh();
  const { userId, sessionId, secret } = parsed;
  const presented = hashSecret(secret);
  for (let attempt = 0; attempt < 3; attempt++) {
    const [{ data: session }, state] = await Promise.all([
      db().session.get({ userId, sessionId }).go({ consistent: true }),
      readAuthState(userId),
    ]);
    if (!session || session.revokedAt || session.expiresAt <= nowSeconds()) throw invalidRefresh();
    if (!state || !openSessionEntry(state.sessions, sessionId)) throw invalidRefresh();
    const refused = refusalFor(state.status);
    if (refused) throw refused.code === "UNAUTHENTICATED" ? invalidRefresh() : refused;
    const pair = (tokens: GraceCopy) => ({ ...tokens, tokenType: "Bearer" as const, expiresIn: ACCESS_TOKEN_SECONDS, userId });

    if (sameHash(presented, session.refreshHash)) {
      const next = newRefreshToken(userId, sessionId);
      const accessToken = await issueAccessToken({ sub: userId, sid: sessionId, roles: normalizeRoles(state.roles) });
      const { sourceIp, userAgent } = useContext();
      const rotated = await conditionally(() =>
        db()
          .session.patch({ userId, sessionId })
          .set({
            refreshHash: hashSecret(next.secret),
            previousHash: presented,
            rotatedAt: Date.now(),
            graceBox: seal({ accessToken, refreshToken: next.token } satisfies GraceCopy, secret, sessionId),
            lastUsedAt: new Date().toISOString(),
            ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
            ...(sourceIp ? { ip: sourceIp } : {}),
          })
          .add({ usedHashes: [presented] })
          .where(({ refreshHash }, { eq }) => eq(refreshHash, session.refreshHash))
          .go(),
      );
      if (!rotated) continue; // another refresh of the same token won: answer as its twin below
      return pair({ accessToken, refreshToken: next.token });
    }

    const withinGrace = session.rotatedAt !== undefined && Date.now() - session.rotatedAt <= REFRESH_GRACE_SECONDS * 1000;
    if (sameHash(presented, session.previousHash) && withinGrace && session.graceBox) {
      const copy = unseal<GraceCopy>(session.graceBox, secret, sessionId);
      if (copy) return pair(copy);
    }
    if (sameHash(presented, session.previousHash) || (session.usedHashes ?? []).includes(presented)) {
      await endSession(userId, sessionId, "auth.refresh_reuse_detected");
    }
    throw invalidRefresh();
  }
  throw invalidRefresh();
}
