import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, describeError, type ErrorInfo, type ListFilters, type Status, type User } from "./api.ts";
import { href } from "./router.ts";
import { Empty, ErrorText, FieldError, Loading, PageHeading, StatusBadge, Time } from "./ui.tsx";

interface Draft {
  status: "" | Status;
  createdAfter: string; // datetime-local value
  createdBefore: string;
  email: string;
  limit: number;
}

const emptyDraft: Draft = { status: "", createdAfter: "", createdBefore: "", email: "", limit: 20 };

/** The list as last seen, so going back from a user keeps the filters and what was loaded. */
export const forgetList = () => {
  remembered = null;
};

let remembered: { draft: Draft; items: User[]; nextCursor: string | null } | null = null;

function toInput(draft: Draft): ListFilters {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
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
  const [loading, setLoading] = useState<"first" | "more" | null>(null);
  const [error, setError] = useState<{ where: "filters" | "more"; info: ErrorInfo } | null>(null);
  const firstNewRow = useRef<HTMLAnchorElement>(null);
  const focusIndex = useRef<number | null>(null);

  useEffect(() => {
    remembered = items ? { draft: applied, items, nextCursor } : null;
  }, [applied, items, nextCursor]);

  async function load(filters: Draft, cursor?: string) {
    setLoading(cursor ? "more" : "first");
    setError(null);
    try {
      const page = await api.users.list.query({ ...toInput(filters), cursor });
      setItems((before) => {
        if (cursor && before) {
          focusIndex.current = before.length;
          return [...before, ...page.items];
        }
        return page.items;
      });
      setNextCursor(page.nextCursor);
    } catch (caught) {
      setError({ where: cursor ? "more" : "filters", info: describeError(caught) });
    } finally {
      setLoading(null);
    }
  }

  useEffect(() => {
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
    setApplied(draft);
    setItems(null);
    void load(draft);
  }

  function reset() {
    setDraft(emptyDraft);
    setApplied(emptyDraft);
    setItems(null);
    void load(emptyDraft);
  }

  const fields = error?.where === "filters" ? error.info.fields : {};
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <section>
      <PageHeading>Users</PageHeading>
      <form className="filters" onSubmit={apply} aria-label="Filter users" noValidate>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={draft.status} onChange={(e) => set("status", e.target.value as Draft["status"])}>
            <option value="">Any but deleted</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
            <option value="pending">Pending</option>
            <option value="deleted">Deleted</option>
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
            {items.length} user{items.length === 1 ? "" : "s"} shown{nextCursor ? ", more available" : ""}
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
