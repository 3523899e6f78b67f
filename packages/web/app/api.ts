/**
 * The console's only way to the API: a tRPC client typed by the server's `AppRouter`, so a change to a
 * procedure's input or output breaks this package's typecheck and build.
 *
 * Sessions: the token pair lives in localStorage (one sign-in for all tabs). Access tokens are renewed
 * shortly before they expire, and once more if the server still says TOKEN_EXPIRED. Refresh tokens
 * rotate and each works once, so refreshes are serialised: within a tab by one shared promise, across
 * tabs by a Web Lock, and a tab that finds a newer pair in storage (another tab refreshed) takes it
 * instead of spending its own, already-used token. (Should two refreshes of one token still cross, the
 * server answers both with the same pair within 10 seconds.) When the session ends or is revoked, the
 * next call fails with UNAUTHENTICATED or INVALID_REFRESH_TOKEN and the console signs out.
 */
import { createTRPCClient, httpLink, TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@users/api";

export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
export type User = Outputs["users"]["get"];
export type UserPage = Outputs["users"]["list"];
export type AuditEvent = Outputs["users"]["audit"]["items"][number];
export type Session = Outputs["auth"]["sessions"]["items"][number];
export type TokenPair = Outputs["auth"]["login"];
export type Role = User["roles"][number];
export type Status = User["status"];
export type ListFilters = Inputs["users"]["list"];
export type Client = Outputs["clients"]["list"]["items"][number];
export type CreatedClient = Outputs["clients"]["create"];
export type ClientScope = Client["scopes"][number];

const apiBase = (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/+$/, "") ?? window.location.origin;
const trpcUrl = `${apiBase}/trpc`;

// ---------------------------------------------------------------------------------------------------
// The stored session

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  user: User;
}

const storageKey = "users-console.session";
/** Renew this long before the access token expires. */
const renewBeforeMs = 60_000;

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

function store(pair: TokenPair): StoredSession {
  const session = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    user: pair.user,
  };
  localStorage.setItem(storageKey, JSON.stringify(session));
  return session;
}

type Listener = (session: StoredSession | null, endedBecause?: string) => void;
const listeners = new Set<Listener>();
let current: StoredSession | null = readStored();

function publish(session: StoredSession | null, endedBecause?: string) {
  current = session;
  for (const listener of listeners) listener(session, endedBecause);
}

// Another tab signed in, refreshed or signed out.
window.addEventListener("storage", (event) => {
  if (event.key !== storageKey) return;
  const next = readStored();
  if (next?.refreshToken !== current?.refreshToken) publish(next, next ? undefined : "You signed out in another tab.");
});

export const session = {
  get: () => current,
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  /** Forget the session locally and tell the UI why. */
  end(reason?: string) {
    localStorage.removeItem(storageKey);
    publish(null, reason);
  },
};

// ---------------------------------------------------------------------------------------------------
// Refreshing

/** Calls that carry no access token: sign-in and refresh. */
/** For calls without a session: sign-in, refresh, and the account pages opened from mail. */
export const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: trpcUrl })] });

let refreshing: Promise<StoredSession | null> | null = null;

async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request("users-console.refresh", work) : work();
}

/**
 * A fresh access token for the session that held `spent`, refreshing at most once at a time. Null when
 * the session has ended (it then signs out).
 */
function refreshSession(spent: StoredSession): Promise<StoredSession | null> {
  refreshing ??= withRefreshLock(async () => {
    const stored = readStored();
    if (!stored) return null;
    if (stored.refreshToken !== spent.refreshToken && stored.expiresAt - Date.now() > renewBeforeMs) {
      publish(stored); // another tab already refreshed
      return stored;
    }
    try {
      const next = store(await anonymous.auth.refresh.mutate({ refreshToken: stored.refreshToken }));
      publish(next);
      return next;
    } catch (error) {
      const code = errorCode(error);
      if (code === "INVALID_REFRESH_TOKEN" || code === "UNAUTHENTICATED" || code === "ACCOUNT_SUSPENDED" || code === "ACCOUNT_PENDING") {
        session.end("Your session has ended. Sign in again.");
        return null;
      }
      throw error;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The access token to send now: renewed first when it is about to expire. */
async function accessToken(): Promise<string | null> {
  const now = current;
  if (!now) return null;
  if (now.expiresAt - Date.now() > renewBeforeMs) return now.accessToken;
  return (await refreshSession(now))?.accessToken ?? null;
}

/**
 * On TOKEN_EXPIRED (a clock that disagrees with the server's), refresh and send the call once more; on
 * UNAUTHENTICATED (session ended, revoked, user deleted), sign out.
 */
const sessionLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    let retried = false;
    let subscription = next(op).subscribe({ next: (v) => observer.next(v), complete: () => observer.complete(), error: onError });
    function onError(error: TRPCClientError<AppRouter>) {
      const code = errorCode(error);
      const held = current;
      if (code === "TOKEN_EXPIRED" && !retried && held) {
        retried = true;
        refreshSession(held).then(
          (renewed) => {
            if (!renewed) return observer.error(error);
            subscription = next(op).subscribe({ next: (v) => observer.next(v), complete: () => observer.complete(), error: onError });
          },
          () => observer.error(error),
        );
        return;
      }
      if (code === "UNAUTHENTICATED" && held) session.end("Your session has ended. Sign in again.");
      observer.error(error);
    }
    return () => subscription.unsubscribe();
  });

export const api = createTRPCClient<AppRouter>({
  links: [
    sessionLink,
    httpLink({
      url: trpcUrl,
      headers: async () => {
        const token = await accessToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    }),
  ],
});

/** The second step of a sign-in with MFA on: the token from MFA_REQUIRED, sent back with a code. */
export class MfaRequired extends Error {
  constructor(readonly mfaToken: string) {
    super("Enter the code from your authenticator app.");
  }
}

/** Sign in; only admins and moderators may use the console. With MFA on, throws MfaRequired. */
export async function signIn(email: string, password: string): Promise<StoredSession> {
  let pair: TokenPair;
  try {
    pair = await anonymous.auth.login.mutate({ email, password });
  } catch (error) {
    const data = error instanceof TRPCClientError ? (error.data as { code?: string; mfaToken?: string } | undefined) : undefined;
    if (data?.code === "MFA_REQUIRED" && data.mfaToken) throw new MfaRequired(data.mfaToken);
    throw error;
  }
  return startSession(pair);
}

/** Finish a sign-in with a TOTP code or a recovery code. */
export async function signInWithCode(mfaToken: string, code: string): Promise<StoredSession> {
  return startSession(await anonymous.auth.mfaVerify.mutate({ mfaToken, code }));
}

async function startSession(pair: TokenPair): Promise<StoredSession> {
  if (!pair.user.roles.some((role) => role === "admin" || role === "moderator")) {
    await fetch(`${trpcUrl}/auth.logout`, { method: "POST", headers: { authorization: `Bearer ${pair.accessToken}` } }).catch(() => {});
    throw new ConsoleError("FORBIDDEN", "This console is for admins and moderators. Your account has neither role.");
  }
  const stored = store(pair);
  publish(stored);
  return stored;
}

/** A token pair from an accepted invitation: a console session for staff; anyone else is signed out again. */
export async function adoptTokenPair(pair: TokenPair): Promise<StoredSession | null> {
  if (!pair.user.roles.some((role) => role === "admin" || role === "moderator")) {
    await fetch(`${trpcUrl}/auth.logout`, { method: "POST", headers: { authorization: `Bearer ${pair.accessToken}` } }).catch(() => {});
    return null;
  }
  const stored = store(pair);
  publish(stored);
  return stored;
}

export async function signOut(): Promise<void> {
  try {
    await api.auth.logout.mutate();
  } catch {
    // The session may already be over; either way it ends here.
  }
  session.end();
}

// ---------------------------------------------------------------------------------------------------
// Errors in plain words

export class ConsoleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorInfo {
  code: string;
  message: string;
  /** Field name → what is wrong with it (validation errors). */
  fields: Record<string, string>;
  retryAfterSeconds?: number;
}

export function errorCode(error: unknown): string | undefined {
  if (error instanceof ConsoleError) return error.code;
  if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code;
  return undefined;
}

const plain: Record<string, string> = {
  INVALID_CREDENTIALS: "The email or password is wrong.",
  INVALID_TOKEN: "This link does not work any more: it was already used or has expired. Ask for a new one.",
  TOO_MANY_ATTEMPTS: "Too many failed sign-ins for this email. Wait a while before trying again.",
  ACCOUNT_SUSPENDED: "This account is suspended.",
  ACCOUNT_PENDING: "This account is not active yet.",
  INVALID_MFA_CODE: "That code is not right, or was already used. Enter the current code from your app, or an unused recovery code.",
  MFA_ALREADY_ENABLED: "Two-factor sign-in is already on for this account.",
  INSUFFICIENT_SCOPE: "A machine client may not do this.",
  UNAUTHENTICATED: "Your session has ended. Sign in again.",
  VERSION_MISMATCH: "Someone else changed this user after you opened it, so your change was not saved.",
  USER_NOT_FOUND: "There is no such user (it may have been deleted).",
  EMAIL_TAKEN: "Another user already has this email.",
  USERNAME_TAKEN: "Another user already has this username.",
  LAST_ADMIN: "This is the last active admin: the service must keep one.",
  RATE_LIMITED: "Too many requests. Wait a moment and try again.",
  INTERNAL: "Something went wrong on the server. Try again; if it keeps happening, report it.",
  NOT_READY: "The service is starting or its database does not answer. Try again shortly.",
};

/** What went wrong, in words for people, with validation problems by field. */
export function describeError(error: unknown): ErrorInfo {
  if (error instanceof ConsoleError) return { code: error.code, message: error.message, fields: {} };
  if (error instanceof TRPCClientError) {
    const data = error.data as
      | { code?: string; issues?: { path: string; message: string }[]; retryAfterSeconds?: number }
      | undefined;
    const code = data?.code ?? "";
    if (!data?.code) {
      return { code: "NETWORK", message: "The API could not be reached. Check your connection and try again.", fields: {} };
    }
    const fields = Object.fromEntries((data.issues ?? []).map((issue) => [issue.path, issue.message]));
    let message = plain[code] ?? error.message;
    // The server's own sentence says more than the code for refusals and validation.
    if (code === "FORBIDDEN" || code === "VALIDATION_FAILED") message = error.message;
    if (code === "TOO_MANY_ATTEMPTS" && data.retryAfterSeconds) {
      message = `Too many failed sign-ins for this email. Try again in ${Math.ceil(data.retryAfterSeconds / 60)} minute(s).`;
    }
    return { code, message, fields, retryAfterSeconds: data.retryAfterSeconds };
  }
  return { code: "UNKNOWN", message: "Something unexpected went wrong. Try again.", fields: {} };
}
