/**
 * The pages that links in mail open, for people who are not signed in: verify an email address,
 * choose a new password, accept an invitation; and "forgot password?" from the sign-in page.
 * Each asks for a click (or a password) before spending the link's token, so a mail scanner that
 * opens the link spends nothing.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { adoptTokenPair, anonymous, describeError, type ErrorInfo } from "./api.ts";
import { href, type AccountRoute } from "./router.ts";
import { ErrorText, FieldError, PageHeading } from "./ui.tsx";

export function AccountPage({ route }: { route: AccountRoute }) {
  switch (route.name) {
    case "verify-email":
      return <VerifyEmail token={route.token} />;
    case "reset-password":
      return <ResetPassword token={route.token} />;
    case "accept-invitation":
      return <AcceptInvitation token={route.token} />;
    case "forgot-password":
      return <ForgotPassword />;
  }
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="sign-in">
      <PageHeading>{title}</PageHeading>
      {children}
    </main>
  );
}

function Done({ children }: { children: ReactNode }) {
  return (
    <>
      <p className="notice" role="status">
        {children}
      </p>
      <p>
        <a href={href.signIn()}>Go to sign-in</a>
      </p>
    </>
  );
}

/** A form that submits once at a time and shows the server's answer in words. */
function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

const missingLink = (
  <p className="error" role="alert" data-code="INVALID_TOKEN">
    This page needs the link from your message. Open the link again, or ask for a new one.
  </p>
);

function VerifyEmail({ token }: { token: string }) {
  const [email, setEmail] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const user = await anonymous.auth.verifyEmail.mutate({ token });
    setEmail(user.email);
  });
  return (
    <Card title="Confirm your email address">
      {email ? (
        <Done>Thank you: {email} is confirmed.</Done>
      ) : !token ? (
        missingLink
      ) : (
        <form onSubmit={submit} aria-describedby={error ? "verify-error" : undefined}>
          <p>Confirm that this email address is yours.</p>
          <ErrorText error={error} id="verify-error" />
          <button type="submit" disabled={busy}>
            {busy ? "Confirming…" : "Confirm my email address"}
          </button>
        </form>
      )}
    </Card>
  );
}

function NewPassword({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | undefined }) {
  return (
    <>
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby="new-password-hint new-password-error"
      />
      <span className="hint" id="new-password-hint">
        At least 8 characters.
      </span>{" "}
      <FieldError id="new-password-error" message={error} />
    </>
  );
}

function ResetPassword({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await anonymous.auth.confirmPasswordReset.mutate({ token, newPassword: password });
    setDone(true);
  });
  return (
    <Card title="Choose a new password">
      {done ? (
        <Done>Your password is changed. You were signed out everywhere; sign in with the new one.</Done>
      ) : !token ? (
        missingLink
      ) : (
        <form onSubmit={submit} noValidate>
          <NewPassword value={password} onChange={setPassword} error={error?.fields.newPassword} />
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Set new password"}
          </button>
        </form>
      )}
    </Card>
  );
}

function AcceptInvitation({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const pair = await anonymous.auth.acceptInvitation.mutate({ token, password });
    const session = await adoptTokenPair(pair);
    if (session) {
      window.location.hash = href.users();
      return;
    }
    setDone(pair.user.email);
  });
  return (
    <Card title="Accept your invitation">
      {done ? (
        <Done>Your account {done} is ready. Sign in with your new password in the app you were invited to.</Done>
      ) : !token ? (
        missingLink
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Choose a password for your new account.</p>
          <NewPassword value={password} onChange={setPassword} error={error?.fields.password} />
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Setting up…" : "Accept and sign in"}
          </button>
        </form>
      )}
    </Card>
  );
}

function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await anonymous.auth.requestPasswordReset.mutate({ email });
    setSent(true);
  });
  return (
    <Card title="Reset your password">
      {sent ? (
        <Done>If {email} has an account, a message with a link to choose a new password is on its way. The link works for 1 hour.</Done>
      ) : (
        <form onSubmit={submit} noValidate>
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
          <ErrorText error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Send me a link"}
          </button>
        </form>
      )}
      <p>
        <a href={href.signIn()}>Back to sign-in</a>
      </p>
    </Card>
  );
}
