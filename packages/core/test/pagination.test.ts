import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, readPage } from "../src/pagination.ts";

describe("cursors", () => {
  it("round-trip within their scope and are refused elsewhere", () => {
    const cursor = encodeCursor("users:active", "position-1");
    expect(decodeCursor("users:active", cursor)).toBe("position-1");
    expect(() => decodeCursor("users:suspended", cursor)).toThrow(expect.objectContaining({ code: "INVALID_CURSOR" }));
  });

  it("refuse any change to the payload or signature", () => {
    const cursor = encodeCursor("s", "p");
    const [payload, signature] = cursor.split(".") as [string, string];
    for (let i = 0; i < payload.length; i++) {
      const changed = payload.slice(0, i) + (payload[i] === "x" ? "y" : "x") + payload.slice(i + 1);
      expect(() => decodeCursor("s", `${changed}.${signature}`)).toThrow();
    }
    expect(() => decodeCursor("s", `${payload}.${signature.slice(1)}`)).toThrow();
    expect(() => decodeCursor("s", "")).toThrow();
  });
});

describe("readPage", () => {
  const data = Array.from({ length: 7 }, (_, i) => ({ id: i }));
  const query = async (position: string | null, count: number) => {
    const start = position === null ? 0 : Number(position) + 1;
    return { data: data.slice(start, start + count) };
  };
  const page = (cursor?: string) => readPage({ scope: "t", limit: 3, cursor, query, positionOf: (item) => String(item.id) });

  it("knows the end of the list without a short page", async () => {
    const first = await page();
    expect(first.items.map((i) => i.id)).toEqual([0, 1, 2]);
    const second = await page(first.nextCursor!);
    expect(second.items.map((i) => i.id)).toEqual([3, 4, 5]);
    const third = await page(second.nextCursor!);
    expect(third).toEqual({ items: [{ id: 6 }], nextCursor: null });
  });

  it("ends on a full page when that is all there is", async () => {
    const six = readPage({
      scope: "t",
      limit: 3,
      cursor: undefined,
      query: async (_p, count) => ({ data: data.slice(0, Math.min(count, 3)) }),
      positionOf: (item) => String(item.id),
    });
    expect((await six).nextCursor).toBeNull();
  });
});
