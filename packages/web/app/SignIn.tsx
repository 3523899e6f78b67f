import { useState, type FormEvent } from "react";
import { describeError, MfaRequired, signIn, signInWithCode, type ErrorInfo } from "./api.ts";
import { href } from "./router.ts";
import { ErrorText, FieldError, PageHeading } from "./ui.tsx";

export function SignIn({ notice }: { notice?: string | undefined }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      if (!window.location.hash) window.location.hash = "#/users";
    } catch (caught) {
      if (caught instanceof MfaRequired) {
        setMfaToken(caught.mfaToken);
        setPassword("");
      } else {
        setError(describeError(caught));
      }
      setBusy(false);
    }
  }

  if (mfaToken) return <CodeStep mfaToken={mfaToken} onRestart={() => setMfaToken(null)} />;

  return (
    <main id="main" className="sign-in">
      <PageHeading>Sign in to the users console</PageHeading>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={error ? "sign-in-error" : undefined} noValidate>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error?.fields.email ? true : undefined}
          aria-describedby="email-error"
        />
        <FieldError id="email-error" message={error?.fields.email} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorText error={error} id="sign-in-error" />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        <a href={href.forgotPassword()}>Forgot password?</a>
      </p>
      <p className="hint">For admins and moderators.</p>
    </main>
  );
}

/** The second step when the account has two-factor sign-in on: a code from the app, or a recovery code. */
function CodeStep({ mfaToken, onRestart }: { mfaToken: string; onRestart: () => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithCode(mfaToken, code);
      if (!window.location.hash) window.location.hash = "#/users";
    } catch (caught) {
      const info = describeError(caught);
      // The token lasts 5 minutes: past that, start again from the password.
      if (info.code === "UNAUTHENTICATED") info.message = "The sign-in took too long. Enter your password again.";
      setError(info);
      setCode("");
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <PageHeading>Two-factor sign-in</PageHeading>
      <form onSubmit={submit} aria-describedby={error ? "code-error" : undefined} noValidate>
        <label htmlFor="mfa-code">Authentication code</label>
        <input
          id="mfa-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby="mfa-code-hint"
        />
        <span className="hint" id="mfa-code-hint">
          The 6-digit code from your authenticator app, or one of your recovery codes.
        </span>
        <ErrorText error={error} id="code-error" />
        <button type="submit" disabled={busy || code.trim() === ""}>
          {busy ? "Checking…" : "Verify"}
        </button>
        <button type="button" className="link" onClick={onRestart}>
          Start over
        </button>
      </form>
    </main>
  );
}
