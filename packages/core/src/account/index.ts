/**
 * Account flows that reach the user by mail: email verification, password reset and invitations.
 * One-time tokens are stored only hashed and spent once; messages go through the outbox to the mail
 * sender (both in ../mail/), never through the audit trail.
 */
import type { AuditChanges } from "../audit/index.ts";
import { hashPassword, openSession } from "../access/index.ts";
import { useActor } from "../context.ts";
import { AppError } from "../errors.ts";
import { Policy } from "../policy.ts";
import type { StoredOneTimeToken } from "../store/entities/one-time-token.entity.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { db, store } from "../store/service.ts";
import { changeUser, loadLiveUser, nextVersion, toUser, type TokenPair, type User, type UserChange } from "../user/index.ts";
import { validated } from "../validation.ts";
import { AcceptInvitationInput, PasswordResetConfirmInput, PasswordResetRequestInput, VerifyEmailInput } from "./account.schema.ts";
import { hashToken, invalidToken, newTokenSecret, sealNothing, sendTokenMail, spendToken } from "../mail/index.ts";
import { admitRequest, quotaKey } from "./request-quota.ts";

export * from "./account.schema.ts";
export {
  accountConfig,
  readAccountConfig,
  deliverOutboxRecords,
  outboxStreamFilter,
  outboxMessageId,
  renderMail,
  hashToken,
  type AccountConfig,
  type MailMessage,
  type MailTransport,
  type DeliveryResult,
  type MailData,
  type RenderedMail,
} from "../mail/index.ts";

/** Applies a change to the token's user; a user who no longer exists makes the token invalid. */
async function changeTokenUser(spent: StoredOneTimeToken, decide: (current: StoredUser) => UserChange | null): Promise<StoredUser> {
  try {
    return await changeUser(spent.userId, undefined, (current) => {
      // A token sent to an address the user has since changed proves nothing about the current one.
      if (current.email !== spent.email) throw invalidToken();
      return decide(current);
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "USER_NOT_FOUND") throw invalidToken();
    throw error;
  }
}

/** The link of a `verify-email` message: the address is verified (and a pending self sign-up active). */
export const verifyEmail = validated(VerifyEmailInput, async ({ token }): Promise<User> => {
  const spent = await spendToken(token, "verify-email");
  const stored = await changeTokenUser(spent, (current) => {
    const activate = spent.activates === true && current.status === "pending";
    if (current.emailVerified && !activate) return null;
    const changes: AuditChanges = { emailVerified: { from: current.emailVerified ?? false, to: true } };
    if (activate) changes.status = { from: current.status, to: "active" };
    return {
      next: nextVersion(current, { emailVerified: true, ...(activate ? { status: "active" as const } : {}) }),
      event: { type: "user.email_verified", changes },
    };
  });
  return toUser(stored);
});

/** The signed-in user asks for another verification message (none when verified, or over the hourly limit). */
export async function resendVerification(): Promise<void> {
  const actor = Policy.signedIn(useActor());
  const user = await loadLiveUser(actor.userId, { consistent: true });
  if (user.emailVerified) return;
  if (!(await admitRequest("verify-email", user.email))) return;
  await sendTokenMail("verify-email", user);
}

/** The live user who holds an address, after the same two reads whether or not there is one. */
async function userByEmail(email: string): Promise<StoredUser | null> {
  const { data: claim } = await db().claim.get({ kind: "email", value: email }).go({ consistent: true });
  const { data: user } = await db().user.get({ userId: claim?.userId ?? "00000000-0000-4000-8000-000000000000" }).go({
    consistent: true,
  });
  return claim && user && user.status !== "deleted" ? user : null;
}

/**
 * Sends a `password-reset` message if the address has an account and has asked at most 3 times in the
 * last hour. The caller learns neither: the answer is the same, and an unknown or throttled address
 * costs the same round trips and the same sealing (the transaction that would queue the message becomes
 * a condition check that writes nothing; a message is sealed with a new data key, one KMS call deployed).
 */
export const requestPasswordReset = validated(PasswordResetRequestInput, async ({ email }): Promise<void> => {
  const admitted = await admitRequest("password-reset", email);
  const user = await userByEmail(email);
  if (admitted && user) {
    await sendTokenMail("password-reset", user);
    return;
  }
  hashToken(newTokenSecret());
  await sealNothing();
  await store()
    .transaction.write(({ requestQuota }) => [
      requestQuota
        .check({ quotaKey: quotaKey("password-reset", email) })
        .where((attr, { exists }) => exists(attr.revision))
        .commit(),
    ])
    .go();
});

/** The link of a `password-reset` message: a new password, and every session of the user ends. */
export const confirmPasswordReset = validated(PasswordResetConfirmInput, async ({ token, newPassword }): Promise<void> => {
  const passwordHash = await hashPassword(newPassword);
  const spent = await spendToken(token, "password-reset");
  await changeTokenUser(spent, (current) => ({
    next: nextVersion(current, { passwordHash }),
    event: { type: "user.password_reset", changes: { password: { changed: true } } },
    sessionsAfter: [],
  }));
});

/** The link of an `invitation`: the invited user chooses a password, becomes active, and is signed in. */
export const acceptInvitation = validated(AcceptInvitationInput, async ({ token, password }): Promise<TokenPair> => {
  const passwordHash = await hashPassword(password);
  const spent = await spendToken(token, "invitation");
  const stored = await changeTokenUser(spent, (current) => {
    if (current.status !== "pending") throw invalidToken();
    return {
      next: nextVersion(current, { passwordHash, status: "active", emailVerified: true }),
      event: {
        type: "user.status_changed",
        changes: {
          status: { from: "pending", to: "active" },
          emailVerified: { from: current.emailVerified ?? false, to: true },
          password: { changed: true },
        },
        reason: "Invitation accepted",
      },
    };
  });
  const tokens = await openSession({ userId: stored.userId, roles: stored.roles });
  return { ...tokens, user: toUser(stored) };
});
