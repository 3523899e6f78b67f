import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { api, describeError, type ErrorInfo, type Role, type User } from "./api.ts";
import { AuditTimeline } from "./AuditTimeline.tsx";
import { AvatarSection } from "./AvatarSection.tsx";
import { can, type Me } from "./permissions.ts";
import { href } from "./router.ts";
import { SessionsList } from "./SessionsPage.tsx";
import { Empty, ErrorText, FieldError, Loading, PageHeading, StatusBadge, Time } from "./ui.tsx";
import { forgetList } from "./UsersList.tsx";

const allRoles: Role[] = ["customer", "moderator", "admin"];

/**
 * Runs one change to the user, based on the version on screen. A VERSION_MISMATCH is kept apart from
 * other errors so the section can say the user changed and offer to reload instead of overwriting.
 */
function useChange(onChanged: (user: User) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [conflict, setConflict] = useState(false);
  const run = useCallback(
    async (change: () => Promise<User | void>): Promise<boolean> => {
      setBusy(true);
      setError(null);
      setConflict(false);
      try {
        const result = await change();
        if (result) onChanged(result);
        return true;
      } catch (caught) {
        const info = describeError(caught);
        if (info.code === "VERSION_MISMATCH") setConflict(true);
        else setError(info);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onChanged],
  );
  const clear = () => {
    setError(null);
    setConflict(false);
  };
  return { busy, error, conflict, run, clear };
}

function Conflict({ version, onReload }: { version: number; onReload: () => void }) {
  return (
    <div className="conflict" role="alert">
      <p>
        <strong>Someone else changed this user</strong> after you opened it (you were looking at version {version}). Your change
        was not saved, so nothing of theirs was overwritten.
      </p>
      <button type="button" onClick={onReload}>
        Reload the user
      </button>
    </div>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function UserPage({ userId, me }: { userId: string; me: Me }) {
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);
  const [reloading, setReloading] = useState(false);
  const [auditVersion, setAuditVersion] = useState(0);
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    setReloading(true);
    try {
      setUser(await api.users.get.query({ userId }));
      setLoadError(null);
      setGeneration((g) => g + 1); // sections drop their edits and errors
      setAuditVersion((v) => v + 1);
    } catch (caught) {
      setLoadError(describeError(caught));
    } finally {
      setReloading(false);
    }
  }, [userId]);

  useEffect(() => {
    void load();
  }, [load]);

  const onChanged = useCallback((updated: User) => {
    setUser(updated);
    setAuditVersion((v) => v + 1);
    forgetList();
  }, []);

  if (loadError && !user) {
    return (
      <section>
        <PageHeading>User</PageHeading>
        <ErrorText error={loadError} />
        <p>
          <a href={href.users()}>Back to users</a>
        </p>
      </section>
    );
  }
  if (!user) return <Loading>Loading user…</Loading>;

  const isSelf = user.userId === me.userId;
  return (
    <article className="user-page" data-version={user.version}>
      <p className="crumbs">
        <a href={href.users()}>← Users</a>
      </p>
      <PageHeading>
        {user.firstName} {user.lastName} <StatusBadge status={user.status} />
      </PageHeading>
      <p className="meta">
        {user.email} · version {user.version} · created <Time iso={user.createdAt} /> · updated <Time iso={user.updatedAt} /> · last sign-in{" "}
        <Time iso={user.lastLoginAt} />
        {isSelf && <strong> · this is you</strong>}
      </p>
      {reloading && <Loading>Reloading…</Loading>}
      {loadError && <ErrorText error={loadError} />}
      <div className="grid">
        <ProfileSection key={`p${generation}-${user.version}`} user={user} me={me} onChanged={onChanged} onReload={load} />
        <AvatarSection key={`a${generation}`} user={user} me={me} onChanged={onChanged} />
        <StatusSection key={`s${generation}-${user.version}`} user={user} me={me} onChanged={onChanged} onReload={load} />
        <RolesSection key={`r${generation}-${user.version}`} user={user} me={me} onChanged={onChanged} onReload={load} />
        <Section title="Contacts" id="contacts-heading">
          {user.contacts.length === 0 ? (
            <Empty>No contacts.</Empty>
          ) : (
            <ul className="plain">
              {user.contacts.map((c) => (
                <li key={c.contactId}>
                  <span className="label">{c.type}</span> {c.value}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Metadata" id="metadata-heading">
          {Object.keys(user.metadata).length === 0 ? (
            <Empty>No metadata.</Empty>
          ) : (
            <table className="kv">
              <tbody>
                {Object.entries(user.metadata).map(([key, value]) => (
                  <tr key={key}>
                    <th scope="row">{key}</th>
                    <td>{String(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Sessions" id="sessions-heading">
          {isSelf || me.roles.includes("admin") ? (
            <SessionsList userId={user.userId} />
          ) : (
            <p className="note" data-testid="sessions-unavailable">
              Only the user and admins see a user&rsquo;s sessions. Suspending or deleting this user ends all of their sessions at once.
            </p>
          )}
        </Section>
        {can.resetMfa(me, user) && <MfaResetSection user={user} onReload={load} />}
        {can.delete(me, user) && <DeleteSection key={`d${generation}`} user={user} isSelf={isSelf} onReload={load} />}
        {can.delete(me, user) && <PersonalDataSection key={`x${generation}`} user={user} isSelf={isSelf} />}
      </div>
      <AuditTimeline userId={user.userId} me={me} reloadKey={auditVersion} />
    </article>
  );
}

type SectionProps = { user: User; me: Me; onChanged: (user: User) => void; onReload: () => void };

function ProfileSection({ user, me, onChanged, onReload }: SectionProps) {
  const [editing, setEditing] = useState(false);
  const initial = {
    email: user.email,
    username: user.username ?? "",
    firstName: user.firstName,
    lastName: user.lastName,
    phoneNumber: user.phoneNumber ?? "",
  };
  const [form, setForm] = useState(initial);
  const change = useChange(onChanged);
  const firstInput = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) firstInput.current?.focus();
    else if (wasEditing.current) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  async function save(event: FormEvent) {
    event.preventDefault();
    const saved = await change.run(() =>
      api.users.update.mutate({
        userId: user.userId,
        expectedVersion: user.version,
        email: form.email,
        username: form.username.trim() || null,
        firstName: form.firstName,
        lastName: form.lastName,
        phoneNumber: form.phoneNumber.trim() || null,
      }),
    );
    if (saved) setEditing(false);
  }

  const field = (name: keyof typeof form, label: string, type = "text", hint?: string) => (
    <div className="field">
      <label htmlFor={`profile-${name}`}>{label}</label>
      <input
        id={`profile-${name}`}
        ref={name === "firstName" ? firstInput : undefined}
        type={type}
        value={form[name]}
        onChange={(e) => setForm((f) => ({ ...f, [name]: e.target.value }))}
        aria-invalid={change.error?.fields[name] ? true : undefined}
        aria-describedby={`profile-${name}-error`}
        placeholder={hint}
      />
      <FieldError id={`profile-${name}-error`} message={change.error?.fields[name]} />
    </div>
  );

  return (
    <Section title="Profile" id="profile-heading">
      {!editing ? (
        <>
          <dl className="kv">
            <dt>First name</dt>
            <dd data-testid="first-name">{user.firstName}</dd>
            <dt>Last name</dt>
            <dd data-testid="last-name">{user.lastName}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Username</dt>
            <dd>{user.username ?? "—"}</dd>
            <dt>Phone</dt>
            <dd>{user.phoneNumber ?? "—"}</dd>
            <dt>User id</dt>
            <dd>
              <code>{user.userId}</code>
            </dd>
          </dl>
          {can.edit(me, user) && (
            <button type="button" ref={editButton} onClick={() => setEditing(true)}>
              Edit profile
            </button>
          )}
        </>
      ) : (
        <form onSubmit={save} aria-label="Edit profile">
          {field("firstName", "First name")}
          {field("lastName", "Last name")}
          {field("email", "Email", "email")}
          {field("username", "Username (optional)")}
          {field("phoneNumber", "Phone (E.164, optional)", "tel", "+442071234567")}
          {change.conflict && <Conflict version={user.version} onReload={onReload} />}
          <ErrorText error={change.error} />
          <div className="actions">
            <button type="submit" disabled={change.busy}>
              {change.busy ? "Saving…" : "Save profile"}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setForm(initial);
                change.clear();
                setEditing(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

function StatusSection({ user, me, onChanged, onReload }: SectionProps) {
  const options = (["active", "suspended", "pending"] as const).filter((s) => s !== user.status);
  const [status, setStatus] = useState<(typeof options)[number]>(user.status === "active" ? "suspended" : "active");
  const [reason, setReason] = useState("");
  const change = useChange(onChanged);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const done = await change.run(() =>
      api.users.setStatus.mutate({ userId: user.userId, expectedVersion: user.version, status, reason: reason.trim() || undefined }),
    );
    if (done) setReason("");
  }

  const verb = status === "suspended" ? "Suspend" : status === "active" ? "Reactivate" : "Put on hold";
  return (
    <Section title="Status" id="status-heading">
      <p>
        Currently <StatusBadge status={user.status} />
      </p>
      {user.status !== "deleted" && can.setStatus(me, user) ? (
        <form onSubmit={submit} aria-label="Change status">
          <div className="field">
            <label htmlFor="status-new">New status</label>
            <select id="status-new" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              {options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="status-reason">Reason (recorded in the audit trail)</label>
            <textarea
              id="status-reason"
              value={reason}
              required
              maxLength={500}
              rows={2}
              onChange={(e) => setReason(e.target.value)}
              aria-describedby="status-reason-error"
            />
            <FieldError id="status-reason-error" message={change.error?.fields.reason} />
          </div>
          {change.conflict && <Conflict version={user.version} onReload={onReload} />}
          <ErrorText error={change.error} />
          <button type="submit" disabled={change.busy || !reason.trim()}>
            {change.busy ? "Saving…" : `${verb} user`}
          </button>
        </form>
      ) : (
        <p className="note" data-testid="status-not-allowed">
          {user.userId === me.userId
            ? "No one changes their own status."
            : me.roles.includes("admin")
              ? "A deleted user's status cannot change."
              : "Moderators may change the status of customers only."}
        </p>
      )}
    </Section>
  );
}

function RolesSection({ user, me, onChanged, onReload }: SectionProps) {
  const change = useChange(onChanged);
  const missing = allRoles.filter((r) => !user.roles.includes(r));
  const [toAdd, setToAdd] = useState<Role | "">(missing[0] ?? "");
  const allowed = can.changeRoles(me, user) && user.status !== "deleted";

  return (
    <Section title="Roles" id="roles-heading">
      <ul className="plain roles">
        {user.roles.map((role) => (
          <li key={role}>
            <span className="badge">{role}</span>
            {allowed && user.roles.length > 1 && (
              <button
                type="button"
                className="link"
                aria-label={`Remove role ${role}`}
                disabled={change.busy}
                onClick={() =>
                  void change.run(() => api.users.removeRole.mutate({ userId: user.userId, expectedVersion: user.version, role }))
                }
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {allowed && missing.length > 0 && (
        <form
          className="inline"
          aria-label="Add a role"
          onSubmit={(event) => {
            event.preventDefault();
            if (toAdd) void change.run(() => api.users.addRole.mutate({ userId: user.userId, expectedVersion: user.version, role: toAdd }));
          }}
        >
          <label htmlFor="role-add">Role to add</label>
          <select id="role-add" value={toAdd} onChange={(e) => setToAdd(e.target.value as Role)}>
            {missing.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button type="submit" disabled={change.busy}>
            Add role
          </button>
        </form>
      )}
      {!allowed && (
        <p className="note" data-testid="roles-not-allowed">
          {user.userId === me.userId ? "No one changes their own roles." : "Only admins grant or take away roles."}
        </p>
      )}
      {change.conflict && <Conflict version={user.version} onReload={onReload} />}
      <ErrorText error={change.error} />
    </Section>
  );
}

function DeleteSection({ user, isSelf, onReload }: { user: User; isSelf: boolean; onReload: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const change = useChange(() => {});
  const confirmInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (confirming) confirmInput.current?.focus();
  }, [confirming]);

  async function remove(event: FormEvent) {
    event.preventDefault();
    const done = await change.run(() => api.users.delete.mutate({ userId: user.userId, expectedVersion: user.version }));
    if (done) {
      forgetList();
      window.location.hash = href.users();
    }
  }

  return (
    <Section title="Delete" id="delete-heading">
      {user.status === "deleted" ? (
        <p className="note">This user is deleted.</p>
      ) : !confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete user…
        </button>
      ) : (
        <form onSubmit={remove} aria-label="Confirm deletion" onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
          <p>
            Deleting <strong>{user.email}</strong> ends all of {isSelf ? "your" : "their"} sessions and frees the email and username.
            The console cannot undo it.
          </p>
          <div className="field">
            <label htmlFor="delete-confirm">Type the email to confirm</label>
            <input id="delete-confirm" ref={confirmInput} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </div>
          {change.conflict && <Conflict version={user.version} onReload={onReload} />}
          <ErrorText error={change.error} />
          <div className="actions">
            <button type="submit" className="danger" disabled={change.busy || typed.trim().toLowerCase() !== user.email}>
              {change.busy ? "Deleting…" : "Delete permanently"}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

/** The person's rights: a copy of everything stored about them (a JSON download), and erasure. */
function PersonalDataSection({ user, isSelf }: { user: User; isSelf: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const exporting = useChange(() => {});
  const erasing = useChange(() => {});
  const confirmInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (confirming) confirmInput.current?.focus();
  }, [confirming]);

  async function download() {
    await exporting.run(async () => {
      const data = await api.users.dataExport.query({ userId: user.userId });
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `user-${user.userId}-data.json`;
      link.click();
      URL.revokeObjectURL(url);
    });
  }

  async function erase(event: FormEvent) {
    event.preventDefault();
    const done = await erasing.run(() => api.users.erase.mutate({ userId: user.userId }));
    if (done) {
      forgetList();
      window.location.hash = href.users();
    }
  }

  return (
    <Section title="Personal data" id="personal-data-heading">
      <p>
        <button type="button" onClick={download} disabled={exporting.busy}>
          {exporting.busy ? "Exporting…" : "Export data"}
        </button>{" "}
        <span className="note">The profile, sessions and audit trail, as JSON.</span>
      </p>
      <ErrorText error={exporting.error} />
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Erase…
        </button>
      ) : (
        <form onSubmit={erase} aria-label="Confirm erasure" onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
          <p>
            Erasing <strong>{user.email}</strong> deletes {isSelf ? "your" : "their"} account and sessions for good and makes{" "}
            {isSelf ? "your" : "their"} personal values in the audit trail unreadable (the events themselves are kept). Nothing can
            bring it back.
          </p>
          <div className="field">
            <label htmlFor="erase-confirm">Type the email to confirm</label>
            <input id="erase-confirm" ref={confirmInput} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </div>
          <ErrorText error={erasing.error} />
          <div className="actions">
            <button type="submit" className="danger" disabled={erasing.busy || typed.trim().toLowerCase() !== user.email}>
              {erasing.busy ? "Erasing…" : "Erase permanently"}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

/** An admin turns off another user's two-factor sign-in (a lost phone): no code needed. */
function MfaResetSection({ user, onReload }: { user: User; onReload: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  async function reset() {
    setBusy(true);
    setError(null);
    try {
      await api.users.disableMfa.mutate({ userId: user.userId });
      onReload();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  }
  return (
    <Section title="Two-factor sign-in" id="mfa-heading">
      <p>On: signing in asks this user for a code from their authenticator app.</p>
      <button type="button" className="danger" disabled={busy} onClick={() => void reset()}>
        Turn off two-factor sign-in
      </button>
      <ErrorText error={error} />
    </Section>
  );
}
