/**
 * Access: credentials, sessions, tokens, lockout and MFA. Sole owner of the auth-state, session,
 * login-attempt and MFA-factor items; the user domain (and erasure) calls it through these functions
 * (they never write those items themselves).
 */
export * from "./access.schema.ts";
export { publicJwks, generateSigningJwk } from "../token-signing/index.ts";
export { hashPassword, hashNeedsUpgrade, bcryptScheme } from "./password.ts";
export { authenticate } from "./authenticate.ts";
export { signIn, finishSignIn, verifyCurrentPassword, type Credentials } from "./sign-in.ts";
export { refresh } from "./refresh.ts";
export { logout, sessions, revokeSession, openSession } from "./sessions.ts";
export { userSessions, revokeUserSessions, sessionRecordsOf } from "./user-sessions.ts";
export { authStateStep, authStateRemovalStep, openSessionOf } from "./auth-state.ts";
export { resetLoginAttempts } from "./login-throttle.ts";
export * from "./mfa/mfa.schema.ts";
export {
  totpCode,
  verifyMfaToken,
  newRecoveryCodes,
  mfaAlreadyEnabled,
  startTotpEnrollment,
  activeFactorStep,
  factorRemovalStep,
  checkSignInCode,
  checkCodeToDisable,
} from "./mfa/index.ts";
