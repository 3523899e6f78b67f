import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { config } from "./config.ts";
import { AppError } from "./errors.ts";

export const PageLimit = z.number().int().min(1).max(100).default(20);
export const Cursor = z.string().min(1).max(2048).meta({ description: "Opaque: the `nextCursor` of the previous page." });

/**
 * Opaque cursors: the storage position, bound to the list (and filters) it came from and signed, so a
 * tampered cursor or one from another list is refused with INVALID_CURSOR instead of reaching DynamoDB.
 */
function sign(payload: string): string {
  return createHmac("sha256", config().cursorSecret).update(payload).digest("base64url").slice(0, 22);
}

export function encodeCursor(scope: string, position: string): string {
  const payload = Buffer.from(JSON.stringify({ s: scope, p: position })).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

const invalidCursor = () =>
  new AppError("INVALID_CURSOR", "The cursor is not one this list handed out (or its filters changed).");

export function decodeCursor(scope: string, cursor: string): string {
  const [payload, signature, ...rest] = cursor.split(".");
  if (!payload || !signature || rest.length > 0) throw invalidCursor();
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const { s, p } = (decoded ?? {}) as { s?: unknown; p?: unknown };
  if (s !== scope || typeof p !== "string") throw invalidCursor();
  return p;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Reads one page of `limit` items. It asks storage for one more than the page, so the end of the list
 * is known (`nextCursor: null`) rather than guessed from a short page; the next cursor points just past
 * the last item returned.
 */
export async function readPage<T>(options: {
  scope: string;
  limit: number;
  cursor: string | undefined;
  query: (position: string | null, count: number) => Promise<{ data: T[] }>;
  positionOf: (item: T) => string;
}): Promise<Page<T>> {
  const { scope, limit, cursor, query, positionOf } = options;
  const position = cursor === undefined ? null : decodeCursor(scope, cursor);
  const { data } = await query(position, limit + 1);
  const items = data.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = data.length > limit && last !== undefined ? encodeCursor(scope, positionOf(last)) : null;
  return { items, nextCursor };
}
