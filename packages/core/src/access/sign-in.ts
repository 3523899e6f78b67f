import { auditEvent, putAuditEvent, sealAuditEvent } from "../audit/index.ts";
import { useContext } from "../context.ts";
import { AppError, validationFailed } from "../errors.ts";
import { count } from "../observability/metrics.ts";
import { writeTransaction, type Step } from "../store/transaction.ts";
import type { Status } from "../user-vocabulary.ts";
import type { SessionTokens } from "./access.schema.ts";
import { openSessionsNow, refusalFor } from "./auth-state.ts";
import { guardLoginAttempt, recordLoginFailure, resetLoginAttempts } from "./login-throttle.ts";
import { dummyPasswordCheck, verifyPassword } from "./password.ts";
import { openSession } from "./sessions.ts";
import { mfaRequired } from "./mfa/mfa-token.ts";

/** The account a password is checked against: what the user domain holds about it. */
export interface Credentials {
  userId: string;
  email: string;
  passwordHash: string;
  status: Status;
  roles: readonly string[];
  /** Two-factor sign-in is on: the password alone answers MFA_REQUIRED. */
  mfaEnabled?: boolean | undefined;
}

const invalidCredentials = () => new AppError("INVALID_CREDENTIALS", "The email or password is not correct.");

/** bcrypt's limit: a longer password can never match (and is never truncated). */
const fitsBcrypt = (password: string) => Buffer.byteLength(password, "utf8") <= 72;

/** A wrong password for a known account: counted per source IP and audited. */
async function recordFailure(userId: string, reason?: string): Promise<void> {
  count("FailedSignIns");
  await recordLoginFailure(useContext().sourceIp);
  const event = await sealAuditEvent(auditEvent("auth.login_failed", userId, {}, reason ? { reason } : {}));
  await writeTransaction((e) => [putAuditEvent(e, event)]);
}

/**
 * Email and password → a session. Unknown email (`lookup` finds null) and wrong password are the same error
 * after the same bcrypt work; attempts are counted per email and per IP before the password is checked.
 * The account is looked up while the attempt is counted, its open sessions are read while bcrypt runs,
 * and the count is reset while the session opens: a sign-in waits on three DynamoDB round trips besides
 * bcrypt, not six.
 * `alsoWrite` joins the session's transaction.
 */
export async function signIn<A extends Credentials>(
  email: string,
  password: string,
  lookup: Promise<A | null>,
  alsoWrite: (account: A) => Step[] = () => [],
): Promise<SessionTokens & { account: A }> {
  const [, account] = await Promise.all([guardLoginAttempt(email, useContext().sourceIp), lookup]);
  const [valid, sessions] = await Promise.all([
    account && fitsBcrypt(password) ? verifyPassword(password, account.passwordHash) : dummyPasswordCheck(password),
    account ? openSessionsNow(account.userId) : undefined,
  ]);
  if (!account || !valid) {
    if (account) await recordFailure(account.userId);
    else {
      count("FailedSignIns");
      await recordLoginFailure(useContext().sourceIp);
    }
    throw invalidCredentials();
  }
  // MFA: the password alone does not reset the attempts; the code is checked at /v1/auth/mfa/verify.
  if (account.mfaEnabled && !refusalFor(account.status)) throw await mfaRequired(account.userId);
  return { ...(await finishSignIn(account, alsoWrite(account), sessions)), account };
}

/**
 * The end of every sign-in (password, or password then MFA code): the email's attempts are reset (the
 * password or code was right) while the session opens. `sessions` is the auth state's open sessions
 * when already read.
 */
export async function finishSignIn(account: Credentials, alsoWrite: Step[] = [], sessions?: readonly string[]): Promise<SessionTokens> {
  const reset = resetLoginAttempts(account.email);
  const refused = refusalFor(account.status);
  if (refused) {
    await reset;
    throw refused;
  }
  // The reset stays out of the session's transaction: a guess at the same email, counted at that moment,
  // would make the transaction lose a race (TransactionConflict) over an item it need not hold.
  const [tokens] = await Promise.all([openSession(account, alsoWrite, sessions), reset]);
  count("SignIns");
  return tokens;
}

/**
 * A password change's check of the current password. It counts like a sign-in attempt: five wrong ones
 * for the account's email in 15 minutes lock it (429), and each is audited.
 */
export async function verifyCurrentPassword(account: Credentials, password: string): Promise<void> {
  await guardLoginAttempt(account.email, useContext().sourceIp);
  if (fitsBcrypt(password) && (await verifyPassword(password, account.passwordHash))) {
    await resetLoginAttempts(account.email);
    return;
  }
  await recordFailure(account.userId, "wrong current password on a password change");
  throw validationFailed([{ path: "currentPassword", message: "is not the current password" }]);
}
