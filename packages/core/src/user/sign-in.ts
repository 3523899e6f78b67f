import * as Access from "../access/index.ts";
import { AppError } from "../errors.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db } from "../store/service.ts";
import type { Step } from "../store/transaction.ts";
import { rehashIfOutdated } from "./password-upgrade.ts";
import { validated } from "../validation.ts";
import { LoginInput, RefreshInput, type TokenPair } from "./sign-in.schema.ts";
import { toUser } from "./user.view.ts";
import { loadLiveUser } from "./user.write.ts";

/** The live user holding an email (through its claim, so a just-changed email is found at once). */
async function userByEmail(email: string): Promise<StoredUser | null> {
  const { data: claim } = await db().claim.get({ kind: "email", value: email }).go({ consistent: true });
  if (!claim) return null;
  const { data: user } = await db().user.get({ userId: claim.userId }).go({ consistent: true });
  return user && user.status !== "deleted" ? user : null;
}

/**
 * Records when the user last signed in, in the session's transaction. It is not an edit of the profile:
 * `version` and `updatedAt` stay, so an ETag a client holds stays valid.
 */
const lastLoginStep = (userId: string, lastLoginAt: string): Step => ({
  item: (e) => e.user.patch({ userId }).set({ lastLoginAt }).commit(),
  whenConditionFails: "stale",
});

/** Email and password → tokens and the user (access checks the password, counts attempts, opens the session). */
export const login = validated(LoginInput, async ({ email, password }): Promise<TokenPair> => {
  const lastLoginAt = new Date().toISOString();
  const { account: user, ...tokens } = await Access.signIn(email, password, userByEmail(email), (found) => [
    lastLoginStep(found.userId, lastLoginAt),
  ]);
  // An imported hash (another cost, or the $2a$/$2y$ prefix) moves to the configured cost now.
  const current = await rehashIfOutdated({ ...user, lastLoginAt }, password);
  return { ...tokens, user: toUser({ ...current, lastLoginAt }) };
});

/** A refresh token → the next pair and the user. */
export const refresh = validated(RefreshInput, async ({ refreshToken }): Promise<TokenPair> => {
  const { userId, ...tokens } = await Access.refresh(refreshToken);
  return { ...tokens, user: toUser(await loadLiveUser(userId)) };
});

/** The second step of a sign-in with MFA on: the token from MFA_REQUIRED and a code → tokens and the user. */
export const verifyMfa = validated(Access.VerifyMfaInput, async ({ mfaToken, code }): Promise<TokenPair> => {
  const userId = await Access.verifyMfaToken(mfaToken);
  const { data: user } = await db().user.get({ userId }).go({ consistent: true });
  if (!user || user.status === "deleted") throw new AppError("UNAUTHENTICATED", "This account no longer exists.");
  if (!user.mfaEnabled) throw new AppError("UNAUTHENTICATED", "Multi-factor sign-in is off for this account; sign in again.");
  await Access.checkSignInCode(user, code);
  const lastLoginAt = new Date().toISOString();
  const tokens = await Access.finishSignIn(user, [lastLoginStep(user.userId, lastLoginAt)]);
  return { ...tokens, user: toUser({ ...user, lastLoginAt }) };
});
