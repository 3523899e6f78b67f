import { tableIsReachable, config } from "@users/core";
import { describe, expect, it } from "vitest";

describe("readiness", () => {
  it("is true for this file's table and false for one that does not answer", async () => {
    expect(await tableIsReachable(config().tableName)).toBe(true);
    expect(await tableIsReachable("no-such-table")).toBe(false);
  });
});
