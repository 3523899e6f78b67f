import QRCode from "qrcode";
import { useEffect, useState, type FormEvent } from "react";
import { api, describeError, type ErrorInfo } from "./api.ts";
import { ErrorText, Loading, PageHeading } from "./ui.tsx";

type Enrollment = { secret: string; otpauthUri: string; qr: string };

/** The signed-in user's two-factor sign-in: enroll with a QR code, confirm with a code, keep the recovery codes. */
export function SecurityPage() {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [userId, setUserId] = useState("");
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    api.auth.me.query().then(
      (me) => {
        setEnabled(me.mfaEnabled);
        setUserId(me.userId);
      },
      (caught: unknown) => setError(describeError(caught)),
    );
  }, []);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      const started = await api.auth.mfaEnrollTotp.mutate();
      setEnrollment({ ...started, qr: await QRCode.toDataURL(started.otpauthUri, { margin: 1, width: 220 }) });
      setCode("");
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await api.auth.mfaConfirmTotp.mutate({ code: code.trim() });
      setRecoveryCodes(result.recoveryCodes);
      setEnrollment(null);
      setEnabled(true);
      setCode("");
    });
  };

  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.users.disableMfa.mutate({ userId, code: code.trim() });
      setEnabled(false);
      setRecoveryCodes(null);
      setCode("");
    });
  };

  if (enabled === null) return error ? <ErrorText error={error} /> : <Loading>Loading…</Loading>;
  return (
    <section className="security">
      <PageHeading>Two-factor sign-in</PageHeading>
      <p data-testid="mfa-status">{enabled ? "On: signing in asks for a code from your authenticator app." : "Off: signing in needs only your password."}</p>

      {recoveryCodes && (
        <div className="recovery-codes" role="region" aria-label="Recovery codes">
          <h2>Recovery codes</h2>
          <p>Each signs in once if you lose your phone. Keep them somewhere safe: they are shown only now.</p>
          <ol>
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
        </div>
      )}

      {!enabled && !enrollment && (
        <button type="button" disabled={busy} onClick={() => void start()}>
          Set up an authenticator app
        </button>
      )}

      {!enabled && enrollment && (
        <form onSubmit={confirm} className="enroll" noValidate>
          <p>Scan this code with your authenticator app, or type the key into it, then enter the 6-digit code it shows.</p>
          <img src={enrollment.qr} alt="QR code for your authenticator app" width={220} height={220} />
          <p>
            Key: <code data-testid="totp-secret">{enrollment.secret}</code>
          </p>
          <label htmlFor="confirm-code">Code from the app</label>
          <input id="confirm-code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" disabled={busy || code.trim() === ""}>
            Turn on
          </button>
        </form>
      )}

      {enabled && (
        <form onSubmit={turnOff} className="disable" noValidate>
          <label htmlFor="disable-code">Current code or a recovery code</label>
          <input id="disable-code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" disabled={busy || code.trim() === ""}>
            Turn off two-factor sign-in
          </button>
        </form>
      )}
      <ErrorText error={error} />
    </section>
  );
}
