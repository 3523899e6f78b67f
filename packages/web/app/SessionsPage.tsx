import { useEffect, useState } from "react";
import { api, describeError, type ErrorInfo, type Session } from "./api.ts";
import { Empty, ErrorText, Loading, PageHeading, Time } from "./ui.tsx";

/** The signed-in user's open sessions, with a way to end the others. */
export function SessionsList() {
  const [items, setItems] = useState<Session[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);

  async function load() {
    try {
      setItems((await api.auth.sessions.query()).items);
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

  if (!items) return error ? <ErrorText error={error} /> : <Loading>Loading sessions…</Loading>;
  if (items.length === 0) return <Empty>No open sessions.</Empty>;
  return (
    <>
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
      <p className="note">
        Your own open sessions. The API lists sessions only for the signed-in user, so other users&rsquo; sessions are not shown
        anywhere in the console.
      </p>
      <SessionsList />
    </section>
  );
}
