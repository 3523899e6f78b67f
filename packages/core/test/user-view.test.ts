import { describe, expect, it } from "vitest";
import { normalizeRoles } from "../src/user-vocabulary.ts";
import { diffUsers, isActiveAdmin } from "../src/user/user.view.ts";
import type { User } from "../src/user/user.schema.ts";

const user: User = {
  userId: "u",
  email: "a@example.com",
  username: null,
  firstName: "Ada",
  lastName: "Lovelace",
  phoneNumber: null,
  status: "active",
  roles: ["customer"],
  contacts: [],
  metadata: {},
  avatarUrl: null,
  emailVerified: false,
  mfaEnabled: false,
  version: 1,
  createdAt: "t",
  updatedAt: "t",
  lastLoginAt: null,
};

describe("diffUsers", () => {
  it("reports only what changed, from and to", () => {
    expect(diffUsers(user, { ...user, firstName: "Augusta", version: 2, updatedAt: "t2" })).toEqual({
      firstName: { from: "Ada", to: "Augusta" },
    });
    expect(diffUsers(user, user)).toEqual({});
  });

  it("describes a creation from null and never mentions secrets", () => {
    const changes = diffUsers(null, user);
    expect(changes.email).toEqual({ from: null, to: "a@example.com" });
    expect(Object.keys(changes)).not.toContain("passwordHash");
    expect(Object.keys(changes)).not.toContain("version");
  });
});

describe("roles", () => {
  it("are deduplicated in a canonical order", () => {
    expect(normalizeRoles(["admin", "customer", "admin", "bogus"])).toEqual(["customer", "admin"]);
  });
  it("an active admin is active and has the admin role", () => {
    expect(isActiveAdmin({ status: "active", roles: ["admin"] })).toBe(true);
    expect(isActiveAdmin({ status: "suspended", roles: ["admin"] })).toBe(false);
    expect(isActiveAdmin({ status: "active", roles: ["moderator"] })).toBe(false);
  });
});
