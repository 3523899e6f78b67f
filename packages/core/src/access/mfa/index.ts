import { auditEvent, putAuditEvent, sealAuditEvent } from "../../audit/index.ts";
import { useContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { dataKeyProvider, open, seal } from "../../keys/index.ts";
import { count } from "../../observability/metrics.ts";
import type { StoredMfaFactor } from "../../store/entities/mfa-factor.entity.ts";
import { db } from "../../store/service.ts";
import { writeTransaction, type Step } from "../../store/transaction.ts";
import { guardLoginAttempt, recordLoginFailure, resetLoginAttempts } from "../login-throttle.ts";
import type { TotpEnrollment } from "./mfa.schema.ts";
import { normalizeRecoveryCode, recoveryCodeHash } from "./recovery-codes.ts";
import { newTotpSecret, otpauthUri, totpStep } from "./totp.ts";

export * from "./mfa.schema.ts";
export { totpCode } from "./totp.ts";
export { newRecoveryCodes } from "./recovery-codes.ts";
export { verifyMfaToken } from "./mfa-token.ts";

const PENDING_SECONDS = 24 * 60 * 60;

export const mfaAlreadyEnabled = () => new AppError("MFA_ALREADY_ENABLED", "Multi-factor sign-in is already on for this account.");
const invalidCode = () => new AppError("INVALID_MFA_CODE", "The code is not correct, or was already used.");
const keyContext = (userId: string) => ({ userId, purpose: "mfa-totp" });
const secretAad = (userId: string) => `mfa-totp:${userId}`;

async function factorOf(userId: string): Promise<StoredMfaFactor | null> {
  const { data } = await db().mfaFactor.get({ userId }).go({ consistent: true });
  return data;
}

async function unsealed(factor: StoredMfaFactor): Promise<{ key: Buffer; secret: string }> {
  const key = await dataKeyProvider().unwrapDataKey(factor.wrappedKey, keyContext(factor.userId));
  return { key, secret: open(factor.secretBox, key, secretAad(factor.userId)).toString("utf8") };
}

const conditionFailed = (error: { cause?: { name?: string } }) => {
  if (error.cause?.name === "ConditionalCheckFailedException") return false;
  throw error;
};

/**
 * Starts TOTP enrollment for a user without MFA: a new secret (sealed at rest), returned once, not active
 * until confirmed with a code. Starting again replaces an unconfirmed one.
 */
export async function startTotpEnrollment(user: { userId: string; email: string }): Promise<TotpEnrollment> {
  const { userId } = user;
  const secret = newTotpSecret();
  const { plaintext, wrapped } = await dataKeyProvider().generateDataKey(keyContext(userId));
  const stored = await db().mfaFactor.put({
    userId,
    status: "pending",
    secretBox: seal(secret, plaintext, secretAad(userId)),
    wrappedKey: wrapped,
    createdAt: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + PENDING_SECONDS,
  })
    .where(({ status }, { eq, notExists }) => `${notExists(status)} OR ${eq(status, "pending")}`)
    .go()
    .then(() => true)
    .catch(conditionFailed);
  if (!stored) throw mfaAlreadyEnabled();
  return { secret, otpauthUri: otpauthUri(secret, user.email) };
}

/**
 * Checks a current code against the user's pending enrollment and returns the write that makes the
 * factor active (with the recovery codes' hashes), for the user domain's transaction that turns MFA on.
 */
export async function activeFactorStep(userId: string, code: string, recoveryCodes: readonly string[]): Promise<Step> {
  const pending = await factorOf(userId);
  if (!pending || pending.status !== "pending") {
    throw new AppError("NOT_FOUND", "No enrollment in progress: start one with POST /v1/auth/mfa/totp.");
  }
  const { key, secret } = await unsealed(pending);
  const step = totpStep(secret, code);
  if (step === null) throw invalidCode();
  const active = {
    userId,
    status: "active" as const,
    secretBox: pending.secretBox,
    wrappedKey: pending.wrappedKey,
    recoveryCodes: recoveryCodes.map((c) => recoveryCodeHash(normalizeRecoveryCode(c)!, key)),
    lastStep: step,
    createdAt: pending.createdAt,
    enabledAt: new Date().toISOString(),
  };
  return {
    item: (e) =>
      e.mfaFactor
        .put(active)
        .where(({ secretBox }, { eq }) => eq(secretBox, pending.secretBox))
        .commit(),
    whenConditionFails: "stale",
  };
}

/** The write that removes the user's factor, for the user domain's transaction that turns MFA off. */
export const factorRemovalStep = (userId: string): Step => ({
  item: (e) => e.mfaFactor.delete({ userId }).commit(),
  whenConditionFails: "stale",
});

/**
 * Accepts a code once: a TOTP code only for a time step later than the last accepted one, a recovery
 * code only while it is unused (both conditional writes, so two requests cannot both use one).
 */
async function consumeCode(factor: StoredMfaFactor, code: string): Promise<"totp" | "recovery" | null> {
  const { key, secret } = await unsealed(factor);
  const step = totpStep(secret, code.replace(/\s/g, ""));
  if (step !== null) {
    const accepted = await db().mfaFactor.patch({ userId: factor.userId })
      .set({ lastStep: step })
      .where(({ lastStep, status }, { lt, notExists, eq }) => `(${notExists(lastStep)} OR ${lt(lastStep, step)}) AND ${eq(status, "active")}`)
      .go()
      .then(() => true)
      .catch(conditionFailed);
    return accepted ? "totp" : null;
  }
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) return null;
  const hash = recoveryCodeHash(normalized, key);
  const accepted = await db().mfaFactor.patch({ userId: factor.userId })
    .delete({ recoveryCodes: [hash] })
    .where(({ recoveryCodes, status }, { contains, eq }) => `${contains(recoveryCodes, hash)} AND ${eq(status, "active")}`)
    .go()
    .then(() => true)
    .catch(conditionFailed);
  return accepted ? "recovery" : null;
}

/**
 * Checks a code as part of a sign-in or of turning MFA off: it counts against the email's sign-in
 * attempts like a password (5 in 15 minutes), a wrong one is a failed sign-in, a right one resets them.
 */
export async function checkCodeAsSignIn(user: { userId: string; email: string }, factor: StoredMfaFactor | null, code: string): Promise<void> {
  const { sourceIp } = useContext();
  await guardLoginAttempt(user.email, sourceIp);
  const used = factor && factor.status === "active" ? await consumeCode(factor, code) : null;
  if (!used) {
    count("FailedSignIns");
    await recordLoginFailure(sourceIp);
    const event = await sealAuditEvent(auditEvent("auth.login_failed", user.userId, {}, { reason: "wrong MFA code" }));
    await writeTransaction((e) => [putAuditEvent(e, event)]);
    throw invalidCode();
  }
}

/** The second step of signing in, as access sees it: a code for the user's factor, checked and used once. */
export async function checkSignInCode(user: { userId: string; email: string }, code: string): Promise<void> {
  await checkCodeAsSignIn(user, await factorOf(user.userId), code);
}

/**
 * A user turning their own MFA off proves it with a current code (or a recovery code), counted like a
 * sign-in; a right one resets the email's sign-in attempts.
 */
export async function checkCodeToDisable(user: { userId: string; email: string }, code: string | undefined): Promise<void> {
  if (!code) throw invalidCode();
  await checkCodeAsSignIn(user, await factorOf(user.userId), code);
  await resetLoginAttempts(user.email);
}
