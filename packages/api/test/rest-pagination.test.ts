import { beforeAll, describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

type Listed = { userId: string; status: string; createdAt: string };

/** Follows nextCursor to the end; every page but the last is full. */
async function readAll(query: string, limit: number): Promise<{ pages: Listed[][]; cursors: (string | null)[] }> {
  const pages: Listed[][] = [];
  const cursors: (string | null)[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? "&" : "";
    const res = await api.request("GET", `/v1/users?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
    cursors.push(cursor);
  } while (cursor && pages.length < 100);
  return { pages, cursors };
}

// This file's table holds exactly these users (14 active, 7 suspended, 3 deleted) and its seeded admin.
const created: Listed[] = [];
beforeAll(async () => {
  for (let i = 0; i < 24; i++) {
    const res = await api.request("POST", "/v1/users", { body: newUserBody({ lastName: `N${i}` }) });
    created.push(res.body);
  }
  for (const user of created.slice(0, 7)) {
    await api.request("PUT", `/v1/users/${user.userId}/status`, { body: { status: "suspended" } });
  }
  for (const user of created.slice(21)) await api.request("DELETE", `/v1/users/${user.userId}`);
});

describe("GET /v1/users pagination", () => {
  it("walks every live user once, newest first, and ends with nextCursor null", async () => {
    const { pages } = await readAll("", 5);
    const items = pages.flat();
    expect(items).toHaveLength(22);
    expect(new Set(items.map((u) => u.userId)).size).toBe(22);
    expect(pages.slice(0, -1).every((page) => page.length === 5)).toBe(true);
    const times = items.map((u) => u.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(items.some((u) => u.status === "deleted")).toBe(false);
  });

  it("a list that ends exactly on a page boundary says so on that page", async () => {
    const { pages, cursors } = await readAll("status=suspended", 7);
    expect(pages.map((p) => p.length)).toEqual([7]);
    expect(cursors).toEqual([null]);
  });

  it("filters by status across pages", async () => {
    const { pages } = await readAll("status=active", 4);
    expect(pages.flat()).toHaveLength(15);
    expect(pages.flat().every((u) => u.status === "active")).toBe(true);
    const deleted = await readAll("status=deleted", 2);
    expect(deleted.pages.flat().map((u) => u.userId).sort()).toEqual(created.slice(21).map((u) => u.userId).sort());
  });

  it("filters by creation time, strictly after and strictly before", async () => {
    const live = created.slice(0, 21);
    const after = live[4]!.createdAt;
    const before = live[16]!.createdAt;
    const { pages } = await readAll(`createdAfter=${after}&createdBefore=${before}`, 3);
    const expected = live.filter((u) => u.createdAt > after && u.createdAt < before).map((u) => u.userId);
    expect(pages.flat().map((u) => u.userId).sort()).toEqual(expected.sort());
    const onlyAfter = await readAll(`status=active&createdAfter=${after}`, 50);
    expect(onlyAfter.pages.flat().every((u) => u.createdAt > after && u.status === "active")).toBe(true);
  });

  it("finds by email exactly and case-insensitively", async () => {
    const target = created[10]!;
    const user = (await api.request("GET", `/v1/users/${target.userId}`)).body;
    const res = await api.request("GET", `/v1/users?email=${encodeURIComponent(user.email.toUpperCase())}`);
    expect(res.body.items.map((u: Listed) => u.userId)).toEqual([target.userId]);
    expect(res.body.nextCursor).toBeNull();
  });

  it("refuses tampered, foreign and garbage cursors with 400 INVALID_CURSOR", async () => {
    const first = await api.request("GET", "/v1/users?limit=2");
    const cursor: string = first.body.nextCursor;
    const [payload, signature] = cursor.split(".");
    const flipped = `${payload!.slice(0, -2)}${payload!.at(-2) === "A" ? "B" : "A"}${payload!.at(-1)}.${signature}`;
    const forged = `${Buffer.from(JSON.stringify({ s: "x", p: "y" })).toString("base64url")}.${signature}`;
    for (const bad of [flipped, forged, "garbage", `${cursor}x`]) {
      const res = await api.request("GET", `/v1/users?limit=2&cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe("INVALID_CURSOR");
    }
    // A cursor from one filter is foreign to another.
    const other = await api.request("GET", `/v1/users?status=active&limit=2&cursor=${cursor}`);
    expect(other.body.code).toBe("INVALID_CURSOR");
  });

  it("validates limit and filters", async () => {
    for (const query of ["limit=0", "limit=101", "limit=abc", "status=gone", "createdAfter=yesterday", "email=nope"]) {
      const res = await api.request("GET", `/v1/users?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
    const defaults = await api.request("GET", "/v1/users");
    expect(defaults.body.items).toHaveLength(20);
  });
});
