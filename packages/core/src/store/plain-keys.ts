import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Map keys are data: a `__proto__` key (user metadata, and the audit changes that quote it) must be
 * stored and read back like any other, but the SDK's reader builds maps by assignment, which drops it.
 * So at the storage boundary `__proto__` is written as `\u0000__proto__`, a key that starts with NUL
 * gets one more, and reads undo both: every key reads back as written.
 */
const ESCAPE = "\u0000";
const PROTO = "__proto__";

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

function rewriteKeys(value: unknown, rename: (key: string) => string | undefined): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const next = rewriteKeys(item, rename);
      changed ||= next !== item;
      return next;
    });
    return changed ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  for (const key of keys) {
    const renamed = rename(key);
    const inner = value[key];
    const next = rewriteKeys(inner, rename);
    if (renamed === undefined && next === inner) continue;
    copy ??= Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  }
  if (!copy) return value;
  for (const key of keys) {
    Object.defineProperty(copy, rename(key) ?? key, {
      value: rewriteKeys(value[key], rename),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

export const escapeKeys = (value: unknown) =>
  rewriteKeys(value, (key) => (key === PROTO || key.startsWith(ESCAPE) ? `${ESCAPE}${key}` : undefined));
export const unescapeKeys = (value: unknown) => rewriteKeys(value, (key) => (key.startsWith(ESCAPE) ? key.slice(1) : undefined));

/** Adds the escaping around the document client's own (un)marshalling. */
export function keepPlainKeys(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next({ ...args, input: escapeKeys(args.input) as typeof args.input });
      return { ...result, output: unescapeKeys(result.output) as typeof result.output };
    },
    { step: "initialize", priority: "high", name: "plainMapKeys" },
  );
}
