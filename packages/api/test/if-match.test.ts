import { describe, expect, it } from "vitest";
import { ifMatchVersion } from "../src/context.ts";

const parse = (value?: string) => ifMatchVersion(new Headers(value === undefined ? {} : { "if-match": value }));

describe("If-Match", () => {
  it("reads quoted, weak and bare versions; * and absence mean current", () => {
    expect(parse('"3"')).toBe(3);
    expect(parse('W/"12"')).toBe(12);
    expect(parse("7")).toBe(7);
    expect(parse("*")).toBeUndefined();
    expect(parse()).toBeUndefined();
  });
  it("refuses anything else as VALIDATION_FAILED", () => {
    for (const bad of ['"0"', '"-1"', '"abc"', '"1", "2"', "99999999999999999"]) {
      expect(() => parse(bad), bad).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    }
  });
});
