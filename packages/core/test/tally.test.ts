import { describe, expect, it } from "vitest";
import { TALLY_SHARDS, randomTallyShard, sumShards, tallyDelta } from "../src/stats/tally.ts";

describe("tallyDelta", () => {
  it("counts a new user by status and roles", () => {
    expect(tallyDelta(null, { status: "active", roles: ["customer", "admin"] })).toEqual({
      status_active: 1,
      role_customer: 1,
      role_admin: 1,
    });
  });

  it("moves a user between statuses and roles", () => {
    expect(tallyDelta({ status: "active", roles: ["customer"] }, { status: "suspended", roles: ["customer", "moderator"] })).toEqual({
      status_active: -1,
      status_suspended: 1,
      role_moderator: 1,
    });
  });

  it("a deleted user keeps its status count but leaves the role counts", () => {
    expect(tallyDelta({ status: "pending", roles: ["customer"] }, { status: "deleted", roles: ["customer"] })).toEqual({
      status_pending: -1,
      status_deleted: 1,
      role_customer: -1,
    });
  });

  it("a change of nothing counted is empty", () => {
    expect(tallyDelta({ status: "active", roles: ["customer"] }, { status: "active", roles: ["customer"] })).toEqual({});
  });
});

describe("shards", () => {
  it("picks every shard", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => randomTallyShard()));
    expect(seen.size).toBe(TALLY_SHARDS);
  });

  it("sums shards into the stats; total leaves out deleted users", () => {
    const stats = sumShards([
      { status_active: 3, status_deleted: 2, role_customer: 3 },
      { status_active: -1, status_suspended: 1, role_admin: 1 },
      {},
    ]);
    expect(stats).toEqual({
      total: 3,
      byStatus: { active: 2, suspended: 1, pending: 0, deleted: 2 },
      byRole: { customer: 3, moderator: 0, admin: 1 },
    });
  });
});
