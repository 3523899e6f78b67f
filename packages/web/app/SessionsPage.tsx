import { useEffect, useState } from "react";
import { api, describeError, session, type ErrorInfo, type Session } from "./api.ts";
import { Empty, ErrorText, Loading, PageHeading, Time } from "./ui.tsx";

/**
 * A user's open sessions (the signed-in user's own without `userId`), with a way to end one, or every
 * one at once ("Sign out everywhere": the user or an admin).
 */
export function SessionsList({ userId }: { userId?: string } = {}) {
  const [items, setItems] = useState<Session[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [endedAll, setEndedAll] = useState(false);
  const owner = userId ?? session.get()?.user.userId;

  async function load() {
    try {
      setItems((userId ? await api.users.sessions.query({ userId }) : await api.auth.sessions.query()).items);
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function revoke(sessionId: string) {
    setRevoking(sessionId);
    try {
      await api.auth.revokeSession.mutate({ sessionId });
      await load();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setRevoking(null);
    }
  }

  async function revokeAll() {
    if (!owner) return;
    setRevoking("all");
    try {
      await api.users.revokeSessions.mutate({ userId: owner });
      setEndedAll(true);
      await load();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setRevoking(null);
    }
  }

  if (!items) return error ? <ErrorText error={error} /> : <Loading>Loading sessions…</Loading>;
  if (items.length === 0)
    return (
      <Empty>
        <span role="status">{endedAll ? "Signed out everywhere: no open sessions." : "No open sessions."}</span>
      </Empty>
    );
  return (
    <>
      <p className="actions">
        <button type="button" className="danger" disabled={revoking !== null} onClick={() => void revokeAll()}>
          {revoking === "all" ? "Signing out everywhere…" : "Sign out everywhere"}
        </button>
      </p>
      <table className="sessions">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Last used</th>
            <th scope="col">From</th>
            <th scope="col">Browser</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.sessionId}>
              <td>
                <Time iso={s.createdAt} />
              </td>
              <td>
                <Time iso={s.lastUsedAt} />
              </td>
              <td>{s.ip ?? "—"}</td>
              <td className="ua">{s.userAgent ?? "—"}</td>
              <td>
                {s.current ? (
                  <strong>This session</strong>
                ) : (
                  <button type="button" disabled={revoking !== null} onClick={() => void revoke(s.sessionId)}>
                    End session<span className="visually-hidden"> started {s.createdAt}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorText error={error} />
    </>
  );
}

export function SessionsPage() {
  return (
    <section>
      <PageHeading>My sessions</PageHeading>
      <p className="note">Your own open sessions. &ldquo;Sign out everywhere&rdquo; ends this one too.</p>
      <SessionsList />
    </section>
  );
}
