import { useState, type FormEvent } from "react";
import { describeError, signIn, type ErrorInfo } from "./api.ts";
import { href } from "./router.ts";
import { ErrorText, FieldError, PageHeading } from "./ui.tsx";

export function SignIn({ notice }: { notice?: string | undefined }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      if (!window.location.hash) window.location.hash = "#/users";
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  }

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
