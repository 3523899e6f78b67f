import { useEffect, useState, type FormEvent } from "react";
import { api, describeError, type Client, type ClientScope, type CreatedClient, type ErrorInfo } from "./api.ts";
import { Empty, ErrorText, FieldError, Loading, PageHeading, Time } from "./ui.tsx";

const scopeLabels: Record<ClientScope, string> = {
  "users:read": "users:read: get, list, search and audit",
  "users:write": "users:write: also create, edit, delete and change status",
};

/** Machine clients (admins): create one (its secret shown once), list them, revoke one. */
export function ClientsPage() {
  const [items, setItems] = useState<Client[] | null>(null);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ClientScope[]>(["users:read"]);
  const [created, setCreated] = useState<CreatedClient | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function load() {
    try {
      setItems((await api.clients.list.query()).items);
    } catch (caught) {
      setError(describeError(caught));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCreated(await api.clients.create.mutate({ name, scopes }));
      setName("");
      await load();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(client: Client) {
    if (!window.confirm(`Revoke ${client.name}? Its tokens stop working at once.`)) return;
    setBusy(true);
    setError(null);
    try {
      await api.clients.revoke.mutate({ clientId: client.clientId });
      if (created?.clientId === client.clientId) setCreated(null);
      await load();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  async function copySecret() {
    if (!created) return;
    await navigator.clipboard.writeText(created.clientSecret);
    setCopied(true);
  }

  const toggle = (scope: ClientScope) =>
    setScopes((now) => (now.includes(scope) ? now.filter((s) => s !== scope) : [...now, scope]));

  return (
    <section className="clients">
      <PageHeading>Machine clients</PageHeading>
      <p className="note">
        Backends call the API with a client&rsquo;s id and secret (OAuth client credentials at <code>/v1/oauth/token</code>). Roles,
        clients and passwords are never a client&rsquo;s.
      </p>

      <form onSubmit={create} className="create-client" noValidate>
        <h2>New client</h2>
        <label htmlFor="client-name">Name</label>
        <input id="client-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="client-name-error" />
        <FieldError id="client-name-error" message={error?.fields.name} />
        <fieldset>
          <legend>Scopes</legend>
          {(Object.keys(scopeLabels) as ClientScope[]).map((scope) => (
            <label key={scope} className="check">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} /> {scopeLabels[scope]}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || name.trim() === "" || scopes.length === 0}>
          Create client
        </button>
      </form>

      {created && (
        <div className="created-client" role="region" aria-label="New client's credentials">
          <h2>Credentials of {created.name}</h2>
          <p>Copy the secret now: it is shown only once and cannot be read again.</p>
          <dl>
            <dt>Client id</dt>
            <dd>
              <code data-testid="client-id">{created.clientId}</code>
            </dd>
            <dt>Client secret</dt>
            <dd>
              <code data-testid="client-secret">{created.clientSecret}</code>{" "}
              <button type="button" onClick={() => void copySecret()}>
                {copied ? "Copied" : "Copy secret"}
              </button>
            </dd>
          </dl>
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}

      <ErrorText error={error} />
      <h2>Clients</h2>
      {!items ? (
        <Loading>Loading clients…</Loading>
      ) : items.length === 0 ? (
        <Empty>No machine clients yet.</Empty>
      ) : (
        <table className="clients-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((client) => (
              <tr key={client.clientId}>
                <td>{client.name}</td>
                <td>
                  <code>{client.clientId}</code>
                </td>
                <td>{client.scopes.join(", ")}</td>
                <td>
                  <Time iso={client.createdAt} />
                </td>
                <td>
                  <button type="button" disabled={busy} onClick={() => void revoke(client)}>
                    Revoke<span className="visually-hidden"> {client.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
