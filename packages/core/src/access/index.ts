/**
 * Access: credentials, sessions, tokens and lockout. Sole owner of the auth-state, session and
 * login-attempt items; the user domain calls it through these functions (it never writes them itself).
 */
export * from "./access.schema.ts";
export { publicJwks, generateSigningJwk } from "./signing-keys.ts";
export { hashPassword } from "./password.ts";
export { authenticate } from "./authenticate.ts";
export { signIn, finishSignIn, verifyCurrentPassword, type Credentials } from "./sign-in.ts";
export { refresh } from "./refresh.ts";
export { logout, sessions, revokeSession, openSession } from "./sessions.ts";
export { userSessions, revokeUserSessions, sessionRecordsOf } from "./user-sessions.ts";
export { authStateStep, openSessionOf } from "./auth-state.ts";
