import { randomUUID } from "node:crypto";
import { auditEvent, putAuditEvent } from "../audit/audit.record.ts";
import { sealAuditEvent } from "../audit/audit.seal.ts";
import { rehashIfOutdated } from "../moving/password-upgrade.ts";
import { useContext } from "../context.ts";
import type { TransactionItem } from "../dynamo/service.ts";
import { writeTransaction } from "../dynamo/transaction.ts";
import { AppError } from "../errors.ts";
import { Policy } from "../policy.ts";
import { ClaimEntity } from "../user/claim.entity.ts";
import { verifyPassword } from "../user/password.ts";
import { UserEntity, type StoredUser } from "../user/user.entity.ts";
import { normalizeRoles, toUser } from "../user/user.view.ts";
import { count } from "../observability/metrics.ts";
import { fn } from "../validation.ts";
import type { Actor } from "../context.ts";
import { issueAccessToken, verifyAccessToken } from "./access-token.ts";
import { ACCESS_TOKEN_SECONDS, MAX_SESSIONS_PER_USER, REFRESH_GRACE_SECONDS, REFRESH_TOKEN_SECONDS } from "./auth.config.ts";
import { LoginInput, RefreshInput, SessionRef, type SessionView, type TokenPair } from "./auth.schema.ts";
import { AuthStateEntity, openSessionEntry, parseSessionEntry, sessionEntry } from "./auth-state.entity.ts";
import { guardLoginAttempt, recordLoginFailure, resetLoginAttempts } from "./login-throttle.ts";
import { hashSecret, newRefreshToken, parseRefreshToken, sameHash, seal, unseal } from "./refresh-token.ts";
import { SessionEntity } from "./session.entity.ts";
import { dummyPasswordCheck } from "./dummy-password.ts";

export * from "./auth.schema.ts";
export { publicJwks, generateSigningJwk } from "./signing-keys.ts";

const invalidCredentials = () => new AppError("INVALID_CREDENTIALS", "The email or password is not correct.");
const invalidRefresh = () => new AppError("INVALID_REFRESH_TOKEN", "The refresh token is not valid; sign in again.");
const nowSeconds = () => Math.floor(Date.now() / 1000);

function statusError(status: StoredUser["status"]): AppError | null {
  if (status === "suspended") return new AppError("ACCOUNT_SUSPENDED", "This account is suspended.");
  if (status === "pending") return new AppError("ACCOUNT_PENDING", "This account is not active yet.");
  if (status === "deleted") return new AppError("UNAUTHENTICATED", "This account no longer exists.");
  return null;
}

async function userByEmail(email: string): Promise<StoredUser | null> {
  const { data: claim } = await ClaimEntity.get({ kind: "email", value: email }).go({ consistent: true });
  if (!claim) return null;
  const { data: user } = await UserEntity.get({ userId: claim.userId }).go({ consistent: true });
  return user && user.status !== "deleted" ? user : null;
}

/** Drops expired entries (and the oldest beyond the cap) from a user's open sessions, before adding one. */
async function pruneSessions(userId: string, sessions: readonly string[] | undefined): Promise<void> {
  const now = nowSeconds();
  const expiry = (entry: string) => parseSessionEntry(entry).expiresAt;
  const byExpiry = [...(sessions ?? [])].sort((a, b) => expiry(a) - expiry(b));
  const expired = byExpiry.filter((entry) => expiry(entry) <= now);
  const open = byExpiry.filter((entry) => !expired.includes(entry));
  const excess = open.slice(0, Math.max(0, open.length - (MAX_SESSIONS_PER_USER - 1)));
  const drop = [...expired, ...excess];
  if (drop.length > 0) await AuthStateEntity.update({ userId }).delete({ sessions: drop }).go();
}

/** Opens a session: session item, auth-state entry, lastLoginAt, and the login event, in one transaction. */
async function openSession(user: StoredUser): Promise<TokenPair> {
  const { sourceIp, userAgent } = useContext();
  const sessionId = randomUUID();
  const now = new Date();
  const expiresAt = nowSeconds() + REFRESH_TOKEN_SECONDS;
  const { token: refreshToken, secret } = newRefreshToken(user.userId, sessionId);
  const roles = normalizeRoles(user.roles);
  const accessToken = await issueAccessToken({ sub: user.userId, sid: sessionId, roles });
  const lastLoginAt = now.toISOString();
  const event = await sealAuditEvent(auditEvent("auth.login_succeeded", user.userId, {}, { occurredAt: lastLoginAt }));
  const outcome = await writeTransaction((e) => [
    e.session
      .create({
        sessionId,
        userId: user.userId,
        refreshHash: hashSecret(secret),
        createdAt: lastLoginAt,
        lastUsedAt: lastLoginAt,
        ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}),
        ...(sourceIp ? { ip: sourceIp } : {}),
        expiresAt,
      })
      .commit(),
    e.authState
      .update({ userId: user.userId })
      .add({ sessions: [sessionEntry(sessionId, expiresAt)] })
      .where(({ status }, { eq }) => eq(status, "active"))
      .commit(),
    e.user
      .update({ userId: user.userId })
      .set({ lastLoginAt })
      .add({ version: 1 })
      .commit() as TransactionItem,
    putAuditEvent(e, event),
  ]);
  if (!outcome.committed) {
    // The account changed under us (for example it was just suspended): say what it is now.
    const { data: current } = await UserEntity.get({ userId: user.userId }).go({ consistent: true });
    throw (current && statusError(current.status)) ?? new AppError("INTERNAL", "Signing in conflicted; try again.");
  }
  const updated = { ...user, lastLoginAt, version: user.version + 1 };
  return { accessToken, refreshToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_SECONDS, user: toUser(updated) };
}

/**
 * Email and password → tokens. Unknown email and wrong password are the same error after the same bcrypt
 * work; attempts are counted per email and per IP before the password is checked.
 */
export const login = fn(LoginInput, async ({ email, password }): Promise<TokenPair> => {
  await guardLoginAttempt(email, useContext().sourceIp);
  const user = await userByEmail(email);
  const passwordFits = Buffer.byteLength(password, "utf8") <= 72;
  const valid = user && passwordFits ? await verifyPassword(password, user.passwordHash) : await dummyPasswordCheck(password);
  if (!user || !valid) {
    count("FailedSignIns");
    await recordLoginFailure(useContext().sourceIp);
    if (user) {
      const event = await sealAuditEvent(auditEvent("auth.login_failed", user.userId, {}));
      await writeTransaction((e) => [putAuditEvent(e, event)]);
    }
    throw invalidCredentials();
  }
  await resetLoginAttempts(email);
  const refused = statusError(user.status);
  if (refused) throw refused;
  const { data: state } = await AuthStateEntity.get({ userId: user.userId }).go({ consistent: true });
  await pruneSessions(user.userId, state?.sessions);
  // An imported hash (another cost, or the $2a$/$2y$ prefix) moves to the configured cost now.
  const current = await rehashIfOutdated(user, password);
  const tokens = await openSession(current);
  count("SignIns");
  return tokens;
});

type GraceCopy = { accessToken: string; refreshToken: string };

/** Ends one session: its auth-state entry goes (every token of it stops working), with an audit event. */
async function endSession(userId: string, sessionId: string, type: "auth.logged_out" | "auth.session_revoked" | "auth.refresh_reuse_detected") {
  const { data: state } = await AuthStateEntity.get({ userId }).go({ consistent: true });
  const entries = (state?.sessions ?? []).filter((entry) => entry.startsWith(`${sessionId}@`));
  const event = await sealAuditEvent(auditEvent(type, userId, { session: { from: sessionId, to: null } }));
  const revokedAt = new Date().toISOString();
  await writeTransaction((e) => [
    ...(entries.length > 0 ? [e.authState.update({ userId }).delete({ sessions: entries }).commit()] : []),
    e.session
      .patch({ userId, sessionId })
      .set({ revokedAt })
      .commit() as TransactionItem,
    putAuditEvent(e, event),
  ]);
}

/**
 * Refresh rotates: each refresh token works once. The token just replaced still returns the same new pair
 * for 10 seconds (two tabs refreshing at once); any older one is reuse, which ends the whole session.
 */
export const refresh = fn(RefreshInput, async ({ refreshToken }): Promise<TokenPair> => {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) throw invalidRefresh();
  const { userId, sessionId, secret } = parsed;
  const presented = hashSecret(secret);
  for (let attempt = 0; attempt < 3; attempt++) {
    const [{ data: session }, { data: state }] = await Promise.all([
      SessionEntity.get({ userId, sessionId }).go({ consistent: true }),
      AuthStateEntity.get({ userId }).go({ consistent: true }),
    ]);
    if (!session || session.revokedAt || session.expiresAt <= nowSeconds()) throw invalidRefresh();
    if (!state || !openSessionEntry(state.sessions, sessionId, nowSeconds())) throw invalidRefresh();
    const refused = statusError(state.status);
    if (refused) throw refused.code === "UNAUTHENTICATED" ? invalidRefresh() : refused;

    if (sameHash(presented, session.refreshHash)) {
      const next = newRefreshToken(userId, sessionId);
      const accessToken = await issueAccessToken({ sub: userId, sid: sessionId, roles: normalizeRoles(state.roles) });
      const { sourceIp, userAgent } = useContext();
      const rotated = await SessionEntity.patch({ userId, sessionId })
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
        .go()
        .then(() => true)
        .catch((error: { cause?: { name?: string } }) => {
          if (error.cause?.name === "ConditionalCheckFailedException") return false;
          throw error;
        });
      if (!rotated) continue; // another refresh of the same token won: answer as its twin below
      const { data: user } = await UserEntity.get({ userId }).go();
      return { accessToken, refreshToken: next.token, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_SECONDS, user: toUser(user!) };
    }

    const withinGrace = session.rotatedAt !== undefined && Date.now() - session.rotatedAt <= REFRESH_GRACE_SECONDS * 1000;
    if (sameHash(presented, session.previousHash) && withinGrace && session.graceBox) {
      const copy = unseal<GraceCopy>(session.graceBox, secret, sessionId);
      if (copy) {
        const { data: user } = await UserEntity.get({ userId }).go();
        return { ...copy, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_SECONDS, user: toUser(user!) };
      }
    }
    if (sameHash(presented, session.previousHash) || (session.usedHashes ?? []).includes(presented)) {
      await endSession(userId, sessionId, "auth.refresh_reuse_detected");
    }
    throw invalidRefresh();
  }
  throw invalidRefresh();
});

/**
 * The caller behind an access token, checked against the auth state with one consistent key-value read:
 * a logout, revocation, suspension, deletion or role change made a moment ago already counts.
 */
export async function authenticate(accessToken: string): Promise<Extract<Actor, { kind: "user" }>> {
  const claims = await verifyAccessToken(accessToken);
  const { data: state } = await AuthStateEntity.get({ userId: claims.sub }).go({ consistent: true });
  if (!state || state.status === "deleted" || !openSessionEntry(state.sessions, claims.sid, nowSeconds())) {
    throw new AppError("UNAUTHENTICATED", "This session has ended; sign in again.");
  }
  const refused = statusError(state.status);
  if (refused) throw refused;
  return { kind: "user", userId: claims.sub, roles: normalizeRoles(state.roles), sessionId: claims.sid };
}

/** Ends the caller's current session. */
export async function logout(): Promise<void> {
  const actor = Policy.signedIn(useContext().actor);
  await endSession(actor.userId, actor.sessionId!, "auth.logged_out");
}

/** The caller's open sessions, newest first. */
export async function sessions(): Promise<{ items: SessionView[] }> {
  const actor = Policy.signedIn(useContext().actor);
  const [{ data: items }, { data: state }] = await Promise.all([
    SessionEntity.query.byUser({ userId: actor.userId }).go({ pages: "all" }),
    AuthStateEntity.get({ userId: actor.userId }).go({ consistent: true }),
  ]);
  const now = nowSeconds();
  return {
    items: items
      .filter((s) => !s.revokedAt && openSessionEntry(state?.sessions, s.sessionId, now))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((s) => ({
        sessionId: s.sessionId,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        userAgent: s.userAgent ?? null,
        ip: s.ip ?? null,
        current: s.sessionId === actor.sessionId,
      })),
  };
}

/** Ends a session by id: the session's own user, or an admin. Someone else's session looks absent. */
export const revokeSession = fn(SessionRef, async ({ sessionId }): Promise<void> => {
  const actor = useContext().actor;
  Policy.signedIn(actor);
  const { data } = await SessionEntity.query.bySession({ sessionId }).go();
  const session = data[0];
  const notFound = new AppError("NOT_FOUND", "No such session.");
  if (!session || session.revokedAt) throw notFound;
  try {
    Policy.revokeSession(actor, session.userId);
  } catch {
    throw notFound;
  }
  await endSession(session.userId, sessionId, "auth.session_revoked");
});
