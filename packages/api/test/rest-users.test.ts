import { describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

describe("POST /v1/users", () => {
  it("creates a user: 201, Location, ETag, the contract's shape, no password anywhere", async () => {
    const body = newUserBody({ email: "  Grace.Hopper@Example.COM ", username: "Grace", phoneNumber: "+442071234567" });
    const res = await api.request("POST", "/v1/users", { body });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/users/${res.body.userId}`);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.body).toMatchObject({
      email: "grace.hopper@example.com",
      username: "grace",
      firstName: "Ada",
      status: "active",
      roles: ["customer"],
      contacts: [],
      metadata: {},
      avatarUrl: null,
      lastLoginAt: null,
      version: 1,
    });
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });

  it("refuses a taken email, case-insensitively: 409 EMAIL_TAKEN", async () => {
    const body = newUserBody();
    expect((await api.request("POST", "/v1/users", { body })).status).toBe(201);
    const again = await api.request("POST", "/v1/users", { body: { ...body, email: body.email.toUpperCase() } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: "EMAIL_TAKEN", message: expect.any(String), requestId: again.headers.get("x-request-id") });
  });

  it("refuses a taken username: 409 USERNAME_TAKEN", async () => {
    await api.request("POST", "/v1/users", { body: newUserBody({ username: "unique.name" }) });
    const res = await api.request("POST", "/v1/users", { body: newUserBody({ username: "Unique.Name" }) });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("USERNAME_TAKEN");
  });

  it("lists every invalid field in issues: 400 VALIDATION_FAILED", async () => {
    const res = await api.request("POST", "/v1/users", {
      body: { email: "not-an-email", password: "short", firstName: " ", lastName: "x".repeat(101), username: "A!" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ["email", "firstName", "lastName", "password", "username"].sort(),
    );
    expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("counts password length in UTF-8 bytes and never truncates past 72", async () => {
    const seventyThree = "é".repeat(36) + "a"; // 73 bytes, 37 characters
    const res = await api.request("POST", "/v1/users", { body: newUserBody({ password: seventyThree }) });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe("password");
    const seventyTwo = "é".repeat(36);
    expect((await api.request("POST", "/v1/users", { body: newUserBody({ password: seventyTwo }) })).status).toBe(201);
  });

  it("refuses unknown fields, contacts over 10 and metadata that is not flat", async () => {
    const extra = await api.request("POST", "/v1/users", { body: newUserBody({ isAdmin: true }) });
    expect(extra.status).toBe(400);
    const contacts = Array.from({ length: 11 }, () => ({ type: "PHONE", value: "+15555550100" }));
    expect((await api.request("POST", "/v1/users", { body: newUserBody({ contacts }) })).status).toBe(400);
    const nested = await api.request("POST", "/v1/users", { body: newUserBody({ metadata: { a: { b: 1 } } }) });
    expect(nested.status).toBe(400);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect((await api.request("POST", "/v1/users", { body: newUserBody({ metadata: tooMany }) })).status).toBe(400);
  });

  it("answers malformed JSON with 400 MALFORMED_JSON, a non-JSON body with 415, a huge one with 413", async () => {
    const malformed = await fetch(api.url("/v1/users"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).code).toBe("MALFORMED_JSON");

    const text = await fetch(api.url("/v1/users"), { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(text.status).toBe(415);
    expect((await text.json()).code).toBe("UNSUPPORTED_MEDIA_TYPE");

    const huge = await api.request("POST", "/v1/users", { body: newUserBody({ firstName: "x".repeat(70 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("stores contacts with ids and metadata as given", async () => {
    const res = await api.request("POST", "/v1/users", {
      body: newUserBody({ contacts: [{ type: "WHATSAPP", value: "+15555550100" }], metadata: { plan: "pro", seats: 3, beta: true } }),
    });
    expect(res.status).toBe(201);
    expect(res.body.contacts).toEqual([{ contactId: expect.any(String), type: "WHATSAPP", value: "+15555550100" }]);
    expect(res.body.metadata).toEqual({ plan: "pro", seats: 3, beta: true });
  });
});

describe("GET /v1/users/{userId}", () => {
  it("returns the user with its ETag", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const res = await api.request("GET", `/v1/users/${created.body.userId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.body).toEqual(created.body);
  });

  it("is 404 USER_NOT_FOUND for an unknown id and 400 for a malformed one", async () => {
    const missing = await api.request("GET", "/v1/users/8b1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("USER_NOT_FOUND");
    const malformed = await api.request("GET", "/v1/users/not-a-uuid");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("VALIDATION_FAILED");
  });
});

describe("PATCH and PUT /v1/users/{userId}", () => {
  it("PATCH changes only what is given, null clears, version and ETag move on", async () => {
    const created = await api.request("POST", "/v1/users", {
      body: newUserBody({ username: "patchme", phoneNumber: "+15555550100" }),
    });
    const id = created.body.userId;
    const res = await api.request("PATCH", `/v1/users/${id}`, { body: { firstName: "Augusta", phoneNumber: null } });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(res.body).toMatchObject({ firstName: "Augusta", lastName: "Lovelace", phoneNumber: null, username: "patchme", version: 2 });
  });

  it("PATCH that changes nothing keeps the version", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const res = await api.request("PATCH", `/v1/users/${created.body.userId}`, { body: { firstName: "Ada" } });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
  });

  it("PATCH refuses null for a required field", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const res = await api.request("PATCH", `/v1/users/${created.body.userId}`, { body: { firstName: null } });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe("firstName");
  });

  it("PUT replaces the editable fields and clears the optional ones left out", async () => {
    const created = await api.request("POST", "/v1/users", {
      body: newUserBody({ username: "putme", metadata: { a: 1 }, contacts: [{ type: "WORK", value: "desk 4" }] }),
    });
    const res = await api.request("PUT", `/v1/users/${created.body.userId}`, {
      body: { email: created.body.email, firstName: "Charles", lastName: "Babbage" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ firstName: "Charles", lastName: "Babbage", username: null, metadata: {}, contacts: [] });
    expect(res.body.version).toBe(2);
  });

  it("changing the email frees the old one and takes the new one", async () => {
    const a = await api.request("POST", "/v1/users", { body: newUserBody() });
    const b = await api.request("POST", "/v1/users", { body: newUserBody() });
    const clash = await api.request("PATCH", `/v1/users/${a.body.userId}`, { body: { email: b.body.email } });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe("EMAIL_TAKEN");
    const fresh = newUserBody().email;
    expect((await api.request("PATCH", `/v1/users/${a.body.userId}`, { body: { email: fresh } })).status).toBe(200);
    const reuse = await api.request("POST", "/v1/users", { body: newUserBody({ email: a.body.email }) });
    expect(reuse.status).toBe(201);
  });

  it("If-Match: the right version applies, a stale one is 412 VERSION_MISMATCH and changes nothing", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const id = created.body.userId;
    const ok = await api.request("PATCH", `/v1/users/${id}`, { body: { firstName: "One" }, headers: { "if-match": '"1"' } });
    expect(ok.status).toBe(200);
    const stale = await api.request("PATCH", `/v1/users/${id}`, { body: { firstName: "Two" }, headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe("VERSION_MISMATCH");
    const now = await api.request("GET", `/v1/users/${id}`);
    expect(now.body).toMatchObject({ firstName: "One", version: 2 });
    const bad = await api.request("PATCH", `/v1/users/${id}`, { body: { firstName: "Two" }, headers: { "if-match": "soon" } });
    expect(bad.status).toBe(400);
  });

  it("is 404 for an unknown user", async () => {
    const res = await api.request("PATCH", "/v1/users/8b1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00", { body: { firstName: "X" } });
    expect(res.status).toBe(404);
  });
});

describe("DELETE /v1/users/{userId}", () => {
  it("soft-deletes: 204, then 404, the email and username free again, listed only under status=deleted", async () => {
    const body = newUserBody({ username: "deleteme" });
    const created = await api.request("POST", "/v1/users", { body });
    const id = created.body.userId;
    const res = await api.request("DELETE", `/v1/users/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await api.request("GET", `/v1/users/${id}`)).status).toBe(404);
    expect((await api.request("DELETE", `/v1/users/${id}`)).status).toBe(404);
    const again = await api.request("POST", "/v1/users", { body: newUserBody({ email: body.email, username: "deleteme" }) });
    expect(again.status).toBe(201);
    const deleted = await api.request("GET", `/v1/users?status=deleted&email=${encodeURIComponent(body.email)}`);
    expect(deleted.body.items.map((u: { userId: string }) => u.userId)).toEqual([id]);
    const live = await api.request("GET", `/v1/users?email=${encodeURIComponent(body.email)}`);
    expect(live.body.items.map((u: { userId: string }) => u.userId)).toEqual([again.body.userId]);
  });

  it("honours If-Match", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const res = await api.request("DELETE", `/v1/users/${created.body.userId}`, { headers: { "if-match": '"7"' } });
    expect(res.status).toBe(412);
    expect((await api.request("GET", `/v1/users/${created.body.userId}`)).status).toBe(200);
  });
});

describe("status and roles", () => {
  it("PUT status suspends and reactivates, recording the reason", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const id = created.body.userId;
    const suspended = await api.request("PUT", `/v1/users/${id}/status`, { body: { status: "suspended", reason: "chargeback" } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: "suspended", version: 2 });
    const bad = await api.request("PUT", `/v1/users/${id}/status`, { body: { status: "deleted" } });
    expect(bad.status).toBe(400);
    const audit = await api.request("GET", `/v1/users/${id}/audit`);
    expect(audit.body.items[0]).toMatchObject({
      type: "user.status_changed",
      changes: { status: { from: "active", to: "suspended" } },
      reason: "chargeback",
    });
  });

  it("POST roles adds (twice is a no-op), DELETE removes, the only role stays", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody() });
    const id = created.body.userId;
    const added = await api.request("POST", `/v1/users/${id}/roles`, { body: { role: "moderator" } });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ roles: ["customer", "moderator"], version: 2 });
    const twice = await api.request("POST", `/v1/users/${id}/roles`, { body: { role: "moderator" } });
    expect(twice.body.version).toBe(2);
    const removed = await api.request("DELETE", `/v1/users/${id}/roles/customer`);
    expect(removed.status).toBe(200);
    expect(removed.body.roles).toEqual(["moderator"]);
    const last = await api.request("DELETE", `/v1/users/${id}/roles/moderator`);
    expect(last.status).toBe(400);
    expect((await api.request("POST", `/v1/users/${id}/roles`, { body: { role: "owner" } })).status).toBe(400);
  });
});

describe("audit trail", () => {
  it("records every change, newest first, with request id, source IP and actor", async () => {
    const created = await api.request("POST", "/v1/users", {
      body: newUserBody(),
      headers: { "x-request-id": "req-create-1" },
      token: null,
    });
    const id = created.body.userId;
    await api.request("PATCH", `/v1/users/${id}`, { body: { lastName: "Byron" } });
    await api.request("POST", `/v1/users/${id}/roles`, { body: { role: "moderator" } });
    const res = await api.request("GET", `/v1/users/${id}/audit`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { type: string }) => e.type)).toEqual(["user.role_added", "user.updated", "user.created"]);
    expect(res.body.items[0].actor).toEqual({ kind: "user", userId: api.adminId, roles: ["admin"] });
    const createdEvent = res.body.items[2];
    expect(createdEvent).toMatchObject({
      schemaVersion: 1,
      userId: id,
      requestId: "req-create-1",
      sourceIp: expect.stringMatching(/127\.0\.0\.1/),
      actor: { kind: "anonymous" },
    });
    expect(createdEvent.eventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|correct horse/);
    expect(res.body.items[1].changes).toEqual({ lastName: { from: "Lovelace", to: "Byron" } });
  });

  it("pages with a cursor and refuses one from another user's trail", async () => {
    const a = await api.request("POST", "/v1/users", { body: newUserBody() });
    const b = await api.request("POST", "/v1/users", { body: newUserBody() });
    for (const name of ["B", "C", "D"]) await api.request("PATCH", `/v1/users/${a.body.userId}`, { body: { firstName: name } });
    const first = await api.request("GET", `/v1/users/${a.body.userId}/audit?limit=3`);
    expect(first.body.items).toHaveLength(3);
    const second = await api.request("GET", `/v1/users/${a.body.userId}/audit?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: { type: string }) => e.type)).toEqual(["user.created"]);
    expect(second.body.nextCursor).toBeNull();
    const foreign = await api.request("GET", `/v1/users/${b.body.userId}/audit?cursor=${first.body.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe("INVALID_CURSOR");
  });

  it("is 404 for a user that never existed", async () => {
    expect((await api.request("GET", "/v1/users/8b1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00/audit")).status).toBe(404);
  });
});

describe("service routes", () => {
  it("health, readiness, unknown routes and request ids", async () => {
    expect((await api.request("GET", "/health")).body).toEqual({ status: "ok" });
    expect((await api.request("GET", "/ready")).status).toBe(200);
    const unknown = await api.request("GET", "/v1/nothing-here", { headers: { "x-request-id": "abc-123" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: "NOT_FOUND", message: expect.any(String), requestId: "abc-123" });
    const insane = await api.request("GET", "/health", { headers: { "x-request-id": "<script>" } });
    expect(insane.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
