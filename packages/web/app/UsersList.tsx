import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, describeError, type ErrorInfo, type ListFilters, type Outputs, type Status, type User } from "./api.ts";
import { href } from "./router.ts";
import { Empty, ErrorText, FieldError, Loading, PageHeading, StatusBadge, Time } from "./ui.tsx";

type Stats = Outputs["users"]["stats"];

/** Wait this long after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 250;

interface Draft {
  q: string;
  status: "" | Status;
  createdAfter: string; // datetime-local value
  createdBefore: string;
  email: string;
  limit: number;
}

const emptyDraft: Draft = { q: "", status: "", createdAfter: "", createdBefore: "", email: "", limit: 20 };

/** The list as last seen, so going back from a user keeps the filters and what was loaded. */
export const forgetList = () => {
  remembered = null;
};

let remembered: { draft: Draft; items: User[]; nextCursor: string | null; total: number | null } | null = null;

function toInput(draft: Draft): ListFilters {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    q: draft.q.trim() || undefined,
    status: draft.status || undefined,
    createdAfter: instant(draft.createdAfter),
    createdBefore: instant(draft.createdBefore),
    email: draft.email.trim() || undefined,
    limit: draft.limit,
  };
}

export function UsersList() {
  const [draft, setDraft] = useState<Draft>(remembered?.draft ?? emptyDraft);
  const [applied, setApplied] = useState<Draft>(remembered?.draft ?? emptyDraft);
  const [items, setItems] = useState<User[] | null>(remembered?.items ?? null);
  const [nextCursor, setNextCursor] = useState<string | null>(remembered?.nextCursor ?? null);
  const [total, setTotal] = useState<number | null>(remembered?.total ?? null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [loading, setLoading] = useState<"first" | "more" | null>(null);
  const latest = useRef(0);
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [error, setError] = useState<{ where: "filters" | "more"; info: ErrorInfo } | null>(null);
  const firstNewRow = useRef<HTMLAnchorElement>(null);
  const focusIndex = useRef<number | null>(null);

  useEffect(() => {
    remembered = items ? { draft: applied, items, nextCursor, total } : null;
  }, [applied, items, nextCursor, total]);

  async function loadStats() {
    try {
      setStats(await api.users.stats.query());
    } catch {
      setStats(null); // the counts are a convenience; the list says what went wrong
    }
  }

  async function load(filters: Draft, cursor?: string) {
    // Only the newest request may fill the list: results as you type arrive out of order.
    const request = ++latest.current;
    setLoading(cursor ? "more" : "first");
    setError(null);
    try {
      const page = await api.users.list.query({ ...toInput(filters), cursor });
      if (request !== latest.current) return;
      setTotal(page.total);
      setItems((before) => {
        if (cursor && before) {
          focusIndex.current = before.length;
          return [...before, ...page.items];
        }
        return page.items;
      });
      setNextCursor(page.nextCursor);
    } catch (caught) {
      if (request !== latest.current) return;
      setError({ where: cursor ? "more" : "filters", info: describeError(caught) });
    } finally {
      if (request === latest.current) setLoading(null);
    }
  }

  useEffect(() => {
    void loadStats();
    if (!remembered) void load(applied);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // After "Load more", move focus to the first new row so keyboard users continue from there.
  useEffect(() => {
    if (focusIndex.current !== null) {
      firstNewRow.current?.focus();
      focusIndex.current = null;
    }
  }, [items]);

  function apply(event: FormEvent) {
    event.preventDefault();
    clearTimeout(debounce.current);
    setApplied(draft);
    setItems(null);
    void load(draft);
  }

  /** Results as you type: the search runs once typing pauses, with the filters already applied. */
  function search(q: string) {
    setDraft((d) => ({ ...d, q }));
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => {
      const next = { ...applied, q };
      setApplied(next);
      void load(next);
    }, SEARCH_DEBOUNCE_MS);
  }

  function reset() {
    setDraft(emptyDraft);
    setApplied(emptyDraft);
    setItems(null);
    void load(emptyDraft);
  }

  const fields = error?.where === "filters" ? error.info.fields : {};
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const count = (status: Status) => (stats ? ` (${stats.byStatus[status]})` : "");
  return (
    <section>
      <PageHeading>Users</PageHeading>
      {stats && (
        <dl className="stats" aria-label="User counts" data-testid="user-counts">
          <div>
            <dt>Users</dt>
            <dd data-count="total">{stats.total}</dd>
          </div>
          {(["active", "suspended", "pending", "deleted"] as const).map((status) => (
            <div key={status}>
              <dt>{status[0]!.toUpperCase() + status.slice(1)}</dt>
              <dd data-count={status}>{stats.byStatus[status]}</dd>
            </div>
          ))}
          {(["customer", "moderator", "admin"] as const).map((role) => (
            <div key={role}>
              <dt>{role[0]!.toUpperCase() + role.slice(1)}s</dt>
              <dd data-count={role}>{stats.byRole[role]}</dd>
            </div>
          ))}
        </dl>
      )}
      <form className="filters" onSubmit={apply} aria-label="Filter users" noValidate>
        <div className="field search">
          <label htmlFor="filter-q">Search</label>
          <input
            id="filter-q"
            type="search"
            value={draft.q}
            placeholder="Name, email or username"
            autoComplete="off"
            maxLength={100}
            onChange={(e) => search(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape" && draft.q) {
                e.preventDefault();
                search("");
              }
            }}
            aria-describedby="filter-q-help filter-q-error"
            aria-invalid={fields.q ? true : undefined}
          />
          <span id="filter-q-help" className="hint">
            Results as you type; every word must start a word of the name, email or username. Esc clears.
          </span>
          <FieldError id="filter-q-error" message={fields.q} />
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={draft.status} onChange={(e) => set("status", e.target.value as Draft["status"])}>
            <option value="">Any but deleted{stats ? ` (${stats.total})` : ""}</option>
            <option value="active">Active{count("active")}</option>
            <option value="suspended">Suspended{count("suspended")}</option>
            <option value="pending">Pending{count("pending")}</option>
            <option value="deleted">Deleted{count("deleted")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-created-after">Created after</label>
          <input
            id="filter-created-after"
            type="datetime-local"
            value={draft.createdAfter}
            onChange={(e) => set("createdAfter", e.target.value)}
            aria-describedby="filter-created-after-error"
          />
          <FieldError id="filter-created-after-error" message={fields.createdAfter} />
        </div>
        <div className="field">
          <label htmlFor="filter-created-before">Created before</label>
          <input
            id="filter-created-before"
            type="datetime-local"
            value={draft.createdBefore}
            onChange={(e) => set("createdBefore", e.target.value)}
            aria-describedby="filter-created-before-error"
          />
          <FieldError id="filter-created-before-error" message={fields.createdBefore} />
        </div>
        <div className="field">
          <label htmlFor="filter-email">Email (exact)</label>
          <input
            id="filter-email"
            type="email"
            value={draft.email}
            onChange={(e) => set("email", e.target.value)}
            aria-invalid={fields.email ? true : undefined}
            aria-describedby="filter-email-error"
          />
          <FieldError id="filter-email-error" message={fields.email} />
        </div>
        <div className="field">
          <label htmlFor="filter-limit">Per page</label>
          <select id="filter-limit" value={draft.limit} onChange={(e) => set("limit", Number(e.target.value))}>
            {[10, 20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" disabled={loading !== null}>
            Apply filters
          </button>
          <button type="button" className="secondary" onClick={reset} disabled={loading !== null}>
            Clear
          </button>
        </div>
        {error?.where === "filters" && <ErrorText error={error.info} />}
      </form>

      {loading === "first" && <Loading>Loading users…</Loading>}
      {items && items.length === 0 && loading === null && <Empty>No users match these filters.</Empty>}
      {items && items.length > 0 && (
        <table className="users" aria-describedby="users-count">
          <caption id="users-count">
            {items.length} user{items.length === 1 ? "" : "s"} shown
            {total !== null ? ` of ${total}` : nextCursor ? ", more available" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Roles</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((user, index) => (
              <tr key={user.userId} data-user-id={user.userId}>
                <td>
                  <a href={href.user(user.userId)} ref={index === focusIndex.current ? firstNewRow : undefined}>
                    {user.email}
                  </a>
                </td>
                <td>
                  {user.firstName} {user.lastName}
                </td>
                <td>
                  <StatusBadge status={user.status} />
                </td>
                <td>{user.roles.join(", ")}</td>
                <td>
                  <Time iso={user.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && items && (
        <div className="more">
          <button type="button" onClick={() => void load(applied, nextCursor)} disabled={loading !== null}>
            {loading === "more" ? "Loading more…" : "Load more"}
          </button>
          {error?.where === "more" && <ErrorText error={error.info} />}
        </div>
      )}
      {items && items.length > 0 && !nextCursor && <p className="end">That is everyone matching these filters.</p>}
    </section>
  );
}
