import { useEffect, useRef, type ReactNode } from "react";
import type { ErrorInfo } from "./api.ts";

/** An error in plain words, announced to screen readers, placed next to what caused it. */
export function ErrorText({ error, id }: { error: ErrorInfo | null | undefined; id?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" id={id} data-code={error.code}>
      {error.message}
    </p>
  );
}

/** A field's own problem (from VALIDATION_FAILED issues). */
export function FieldError({ message, id }: { message: string | undefined; id: string }) {
  return message ? (
    <span className="field-error" id={id}>
      {message}
    </span>
  ) : null;
}

export function Loading({ children = "Loading…" }: { children?: ReactNode }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {children}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A page heading that takes focus when the page opens, so keyboard and screen-reader users land on it. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return (
    <time dateTime={iso} title={iso}>
      {dateTime.format(new Date(iso))}
    </time>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
