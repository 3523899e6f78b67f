import { describe, expect, it } from "vitest";
import { useApiServer } from "./helpers/api-server.ts";

// This file's table starts with one admin: the seeded one the requests run as.
const api = useApiServer();

describe("the last active admin", () => {
  it("cannot delete themself (409 LAST_ADMIN) nor change their own status or roles (403)", async () => {
    const remove = await api.request("DELETE", `/v1/users/${api.adminId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.code).toBe("LAST_ADMIN");
    const suspend = await api.request("PUT", `/v1/users/${api.adminId}/status`, { body: { status: "suspended" } });
    expect(suspend.status).toBe(403);
    const demote = await api.request("DELETE", `/v1/users/${api.adminId}/roles/admin`);
    expect(demote.status).toBe(403);
    expect((await api.request("GET", `/v1/users/${api.adminId}`)).body.status).toBe("active");
  });

  it("another admin can be demoted while one remains, then the remaining one is protected", async () => {
    const other = await api.signedInUser(["admin", "customer"]);
    const demoted = await api.request("DELETE", `/v1/users/${other.userId}/roles/admin`);
    expect(demoted.status).toBe(200);
    expect(demoted.body.roles).toEqual(["customer"]);
    // `other` is a customer now, on its very next request.
    expect((await api.request("GET", "/v1/users", { token: other.token })).status).toBe(403);
    expect((await api.request("DELETE", `/v1/users/${api.adminId}`)).body.code).toBe("LAST_ADMIN");
  });
});
