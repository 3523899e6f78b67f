import { useEffect, useState } from "react";
import { api, describeError, type AuditEvent, type ErrorInfo } from "./api.ts";
import type { Me } from "./permissions.ts";
import { href } from "./router.ts";
import { Empty, ErrorText, Loading, Time } from "./ui.tsx";

const titles: Record<AuditEvent["type"], string> = {
  "user.created": "Created",
  "user.imported": "Imported",
  "user.erased": "Erased",
  "user.updated": "Profile changed",
  "user.status_changed": "Status changed",
  "user.role_added": "Role added",
  "user.role_removed": "Role removed",
  "user.password_changed": "Password changed",
  "user.deleted": "Deleted",
  "user.email_verified": "Email address verified",
  "user.password_reset": "Password reset by email link",
  "user.invited": "Invited",
  "user.avatar_changed": "Picture changed",
  "user.avatar_removed": "Picture removed",
  "auth.login_succeeded": "Signed in",
  "auth.login_failed": "Failed sign-in",
  "auth.logged_out": "Signed out",
  "auth.session_revoked": "Session revoked",
  "auth.refresh_reuse_detected": "Refresh token reused: session ended",
  "auth.sessions_revoked": "Signed out everywhere",
  "user.mfa_enabled": "Two-factor sign-in turned on",
  "user.mfa_disabled": "Two-factor sign-in turned off",
  "client.created": "Machine client created",
  "client.revoked": "Machine client revoked",
};

/** Emails of actors, looked up once each (an actor may since have been deleted: then the id stays). */
const actorEmails = new Map<string, Promise<string | null>>();
function actorEmail(userId: string): Promise<string | null> {
  let found = actorEmails.get(userId);
  if (!found) {
    found = api.users.get.query({ userId }).then(
      (u) => u.email,
      () => null,
    );
    actorEmails.set(userId, found);
  }
  return found;
}

function Actor({ actor, me }: { actor: AuditEvent["actor"]; me: Me }) {
  const userId = actor.kind === "user" ? actor.userId : null;
  const [email, setEmail] = useState<string | null>(null);
  useEffect(() => {
    if (userId && userId !== me.userId) void actorEmail(userId).then(setEmail);
  }, [userId, me.userId]);
  if (actor.kind === "system") return <>system ({actor.name})</>;
  if (actor.kind === "anonymous") return <>anonymous caller</>;
  if (actor.kind === "client") return <>machine client {actor.clientId}</>;
  const roles = actor.roles.filter((r) => r !== "customer");
  return (
    <>
      {actor.userId === me.userId ? "you" : <a href={href.user(actor.userId)}>{email ?? actor.userId}</a>}
      {roles.length > 0 && ` (${roles.join(", ")})`}
    </>
  );
}

const show = (value: unknown) => (value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value));

function Changes({ changes }: { changes: AuditEvent["changes"] }) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return null;
  return (
    <ul className="changes">
      {entries.map(([field, change]) => (
        <li key={field}>
          <span className="label">{field}</span>{" "}
          {"changed" in change ? (
            "changed"
          ) : change.from === undefined || change.from === null ? (
            <>
              set to <ins>{show(change.to)}</ins>
            </>
          ) : (
            <>
              <del>{show(change.from)}</del> → <ins>{show(change.to)}</ins>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The user's audit trail, newest first, as a timeline: what, who, when, from where. */
export function AuditTimeline({ userId, me, reloadKey }: { userId: string; me: Me; reloadKey: number }) {
  const [items, setItems] = useState<AuditEvent[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function load(cursor?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await api.users.audit.query({ userId, limit: 20, cursor });
      setItems((before) => (cursor && before ? [...before, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, reloadKey]);

  return (
    <section className="card timeline" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      {loading && !items && <Loading>Loading the audit trail…</Loading>}
      {items && items.length === 0 && <Empty>No events yet.</Empty>}
      {items && items.length > 0 && (
        <ol className="events">
          {items.map((event) => (
            <li key={event.eventId} className={`event type-${event.type.replace(/[._]/g, "-")}`} data-type={event.type}>
              <div className="event-head">
                <strong>{titles[event.type] ?? event.type}</strong> <code className="type">{event.type}</code>
              </div>
              <div className="event-meta">
                <Time iso={event.occurredAt} /> · by <Actor actor={event.actor} me={me} /> · from {event.sourceIp ?? "unknown address"}
                <span className="request" title="Request id">
                  {" "}
                  · request <code>{event.requestId}</code>
                </span>
              </div>
              <Changes changes={event.changes} />
              {event.reason && <p className="reason">Reason: {event.reason}</p>}
            </li>
          ))}
        </ol>
      )}
      <ErrorText error={error} />
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)} disabled={loading}>
          {loading ? "Loading…" : "Load older events"}
        </button>
      )}
    </section>
  );
}
