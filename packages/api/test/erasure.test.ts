/**
 * The person's rights: a copy of their data, and erasure. After an erasure no item anywhere in the table
 * holds one of their values, while their audit events are still there (sealed, unreadable).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { Audit, config, withContext } from "@users/core";
import { dynamo } from "@users/core/store/client";
import { relayRecords } from "@users/core/events/relay";
import type { AuditEvent } from "@users/core/audit/audit.schema";
import { marshall } from "@aws-sdk/util-dynamodb";
import { useApiServer } from "./helpers/api-server.ts";
import { scanTable } from "./helpers/table-scan.ts";

// Each test signs people in (bcrypt) and scans the whole table.
vi.setConfig({ testTimeout: 120_000 });

const api = useApiServer();
const asSystem = <T>(fn: () => Promise<T>) => withContext({ actor: { kind: "system", name: "erasure-test" } }, fn);

/** A person with distinctive values everywhere: profile, an edit (from/to in the audit), sessions, a cached response. */
async function person() {
  const mark = randomUUID().slice(0, 8);
  const values = {
    email: `zelda.${mark}@example.com`,
    password: "a very private passphrase",
    firstName: `Zelda${mark}`,
    lastName: `Quux${mark}`,
    username: `zq_${mark}`,
    phoneNumber: `+4420${Math.floor(1e7 + Math.random() * 9e7)}`,
    contacts: [{ type: "WHATSAPP", value: `wa-${mark}` }],
    metadata: { secret: `meta-${mark}` },
  };
  const created = await api.request("POST", "/v1/users", { body: values, token: null });
  expect(created.status).toBe(201);
  const userId = created.body.userId as string;
  const session = await api.signIn(values.email, values.password, { "user-agent": `Agent-${mark}` });
  const renamed = `Renamed${mark}`;
  const patched = await api.request("PATCH", `/v1/users/${userId}`, {
    body: { lastName: renamed },
    token: session.accessToken,
    headers: { "idempotency-key": `key-${mark}` },
  });
  expect(patched.status).toBe(200);
  // A failed sign-in leaves a counter keyed by the email.
  await api.request("POST", "/v1/auth/login", { body: { email: values.email, password: "wrong password" }, token: null });
  const secrets = [values.email, values.firstName, values.lastName, renamed, values.username, values.phoneNumber, `wa-${mark}`, `meta-${mark}`, `Agent-${mark}`];
  return { userId, values, token: session.accessToken, secrets };
}

describe("GET /v1/users/{userId}/data-export", () => {
  it("gives the user everything stored about them: profile, sessions, the decrypted audit trail", async () => {
    const p = await person();
    const res = await api.request("GET", `/v1/users/${p.userId}/data-export`, { token: p.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ userId: p.userId, email: p.values.email, lastName: p.secrets[3] });
    expect(res.body.sessions).toHaveLength(1);
    expect(res.body.sessions[0]).toMatchObject({ userAgent: p.secrets[8], revokedAt: null, expiresAt: expect.any(String) });
    const types = res.body.auditEvents.map((e: AuditEvent) => e.type);
    expect(types).toEqual(["user.created", "auth.login_succeeded", "user.updated", "auth.login_failed"]);
    const created = res.body.auditEvents[0] as AuditEvent;
    expect(created.changes.email).toEqual({ from: null, to: p.values.email });
    expect(created.sourceIp).toEqual(expect.any(String));
    expect(res.body.auditEvents[2].changes).toEqual({ lastName: { from: p.values.lastName, to: p.secrets[3] } });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|refreshHash|\$2b\$/);
  });

  it("an admin may export; another customer and a moderator may not; an unknown user is 404", async () => {
    const p = await person();
    expect((await api.request("GET", `/v1/users/${p.userId}/data-export`)).status).toBe(200);
    const other = await api.signedInUser(["customer"]);
    const moderator = await api.signedInUser(["moderator"]);
    expect((await api.request("GET", `/v1/users/${p.userId}/data-export`, { token: other.token })).body.code).toBe("FORBIDDEN");
    expect((await api.request("GET", `/v1/users/${p.userId}/data-export`, { token: moderator.token })).status).toBe(403);
    expect((await api.request("GET", `/v1/users/${p.userId}/data-export`, { token: null })).status).toBe(401);
    expect((await api.request("GET", `/v1/users/${randomUUID()}/data-export`)).status).toBe(404);
  });
});

describe("POST /v1/users/{userId}/erase", () => {
  it("stored audit items hold no personal value in the clear, even before erasure", async () => {
    const p = await person();
    const items = (await scanTable()).filter((item) => item.__edb_e__ === "auditEvent" && item.userId === p.userId);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) {
      expect(item.sourceIp).toBeUndefined();
      for (const secret of p.secrets) expect(JSON.stringify(item)).not.toContain(secret);
    }
  });

  it("leaves no value of the person anywhere in the table, keeps their audit events, and says user.erased", async () => {
    const p = await person();
    const before = await scanTable();
    expect(before.some((item) => p.secrets.some((s) => JSON.stringify(item).includes(s)))).toBe(true);
    const auditBefore = before.filter((item) => item.__edb_e__ === "auditEvent" && item.userId === p.userId).length;
    const statsBefore = (await api.request("GET", "/v1/users/stats")).body;
    expect((await api.request("GET", `/v1/users?q=${p.values.firstName}`)).body.items).toHaveLength(1);

    const res = await api.request("POST", `/v1/users/${p.userId}/erase`, { token: p.token });
    expect(res.status).toBe(204);

    const after = await scanTable();
    for (const item of after) {
      const text = JSON.stringify(item);
      // Search terms hold words folded to lower case.
      for (const secret of p.secrets) expect(text.toLowerCase(), `an item still holds ${secret}: ${text}`).not.toContain(secret.toLowerCase());
    }
    const audit = after.filter((item) => item.__edb_e__ === "auditEvent" && item.userId === p.userId);
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit.filter((item) => item.type === "user.erased")).toHaveLength(1);
    // Nothing else of theirs is left in their partition, nor anywhere else that names their id, but for
    // the rate-limit windows of the last minute (a count per caller id and no other value; TTL a minute).
    const rateLimitWindow = (item: Record<string, unknown>) => String(item.pk).startsWith("$ratelimit#");
    expect(
      after.filter((item) => item.__edb_e__ !== "auditEvent" && !rateLimitWindow(item) && JSON.stringify(item).includes(p.userId)),
    ).toEqual([]);

    // They are gone for everyone: not found, not counted; their token stops working; the email can sign up again.
    expect((await api.request("GET", `/v1/users?q=${p.values.firstName}`)).body.items).toEqual([]);
    const statsAfter = (await api.request("GET", "/v1/users/stats")).body;
    expect(statsAfter.total).toBe(statsBefore.total - 1);
    expect(statsAfter.byRole.customer).toBe(statsBefore.byRole.customer - 1);
    expect((await api.request("GET", `/v1/users/${p.userId}`)).status).toBe(404);
    expect((await api.request("GET", "/v1/auth/me", { token: p.token })).status).toBe(401);
    expect((await api.request("POST", "/v1/users", { body: { ...p.values }, token: null })).status).toBe(201);
  });

  it("the relay publishes events decrypted while the key exists, and without personal values after erasure", async () => {
    const p = await person();
    const raw = (await scanTable()).find((item) => item.__edb_e__ === "auditEvent" && item.userId === p.userId && item.type === "user.created")!;
    const record = { eventName: "INSERT", dynamodb: { SequenceNumber: "1", NewImage: marshall(raw, { removeUndefinedValues: true }) } };
    const published: AuditEvent[] = [];
    const publisher = { publish: async (events: AuditEvent[]) => (published.push(...events), { published: events, failed: [] }) };
    await relayRecords([record], publisher);
    expect(published[0]!.changes.email).toEqual({ from: null, to: p.values.email });
    expect(published[0]!.sourceIp).toEqual(expect.any(String));

    expect((await api.request("POST", `/v1/users/${p.userId}/erase`)).status).toBe(204);
    published.length = 0;
    await relayRecords([record], publisher);
    expect(published[0]!.changes.email).toBeUndefined();
    expect(published[0]!.changes.status).toEqual({ from: null, to: "active" });
    expect(JSON.stringify(published[0])).not.toContain(p.values.email);
  });

  it("only the user or an admin; the last active admin cannot be erased; unknown is 404", async () => {
    const p = await person();
    const other = await api.signedInUser(["customer"]);
    const moderator = await api.signedInUser(["moderator"]);
    expect((await api.request("POST", `/v1/users/${p.userId}/erase`, { token: other.token })).status).toBe(403);
    expect((await api.request("POST", `/v1/users/${p.userId}/erase`, { token: moderator.token })).status).toBe(403);
    expect((await api.request("POST", `/v1/users/${p.userId}/erase`, { token: null })).status).toBe(401);
    expect((await api.request("GET", `/v1/users/${p.userId}`)).status).toBe(200);
    expect((await api.request("POST", `/v1/users/${randomUUID()}/erase`)).status).toBe(404);
    const lastAdmin = await api.request("POST", `/v1/users/${api.adminId}/erase`);
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.code).toBe("LAST_ADMIN");
  });

  it("reading the audit trail (as staff) shows the values; the tRPC-style list still pages", async () => {
    const p = await person();
    const { items } = await asSystem(() => Audit.list({ userId: p.userId, limit: 2 }));
    expect(items).toHaveLength(2);
    const all = await api.request("GET", `/v1/users/${p.userId}/audit?limit=100`);
    const created = all.body.items.find((e: AuditEvent) => e.type === "user.created");
    expect(created.changes.firstName).toEqual({ from: null, to: p.values.firstName });
  });
});

describe("npm run encrypt-audit (events written before encryption)", () => {
  it("seals plain events in place, resumably, and they read back decrypted", async () => {
    const { PutCommand, GetCommand } = await import("@aws-sdk/lib-dynamodb");
    const { db } = await import("@users/core/store/service");
    const { Privacy } = await import("@users/core");
    const { mkdtempSync, existsSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const p = await person();
    // Three events as the service wrote them before: personal values and the source IP in the clear.
    const legacy = [1, 2, 3].map((n) => {
      const occurredAt = new Date(Date.UTC(2025, 0, n)).toISOString();
      const params = db().auditEvent.create({
        eventId: `01JAAAAAAAAAAAAAAAAAAAAAA${n}`,
        type: "user.updated",
        schemaVersion: 1,
        userId: p.userId,
        occurredAt,
        requestId: `legacy-${n}`,
        sourceIp: "198.51.100.7",
        actor: { kind: "system", name: "old" },
        changes: { firstName: { from: `Old${n}`, to: p.values.firstName }, status: { from: "pending", to: "active" } },
        expiresAt: Math.floor(Date.parse(occurredAt) / 1000) + 3600 * 24 * 365 * 7,
      }).params();
      return params.Item as Record<string, unknown>;
    });
    for (const Item of legacy) await dynamo().send(new PutCommand({ TableName: config().tableName, Item }));

    const checkpointFile = join(mkdtempSync(join(tmpdir(), "encrypt-audit-")), "checkpoint.json");
    const stop = new AbortController();
    // One page, then stop: a checkpoint is left to resume from.
    const first = await asSystem(() =>
      Privacy.encryptAuditTrail({ checkpointFile, pageSize: 1, signal: stop.signal, onProgress: () => stop.abort() }),
    );
    expect(first.complete).toBe(false);
    expect(existsSync(checkpointFile)).toBe(true);
    const second = await asSystem(() => Privacy.encryptAuditTrail({ checkpointFile, pageSize: 50 }));
    expect(second.complete).toBe(true);
    expect(second.sealed).toBeGreaterThanOrEqual(3);
    expect(existsSync(checkpointFile)).toBe(false);

    for (const item of legacy) {
      const { Item } = await dynamo().send(new GetCommand({ TableName: config().tableName, Key: { pk: item.pk, sk: item.sk } }));
      expect(Item!.sealed).toEqual(expect.any(String));
      expect(Item!.sourceIp).toBeUndefined();
      expect(JSON.stringify(Item)).not.toContain(p.values.firstName);
      expect(Item!.changes).toEqual({ status: { from: "pending", to: "active" } });
    }
    const trail = await api.request("GET", `/v1/users/${p.userId}/audit?limit=100`);
    const old = trail.body.items.find((e: AuditEvent) => e.requestId === "legacy-2");
    expect(old).toMatchObject({ sourceIp: "198.51.100.7", changes: { firstName: { from: "Old2", to: p.values.firstName }, status: { from: "pending", to: "active" } } });
    // Running again finds nothing left to seal.
    expect((await asSystem(() => Privacy.encryptAuditTrail({ checkpointFile }))).sealed).toBe(0);
  });
});
