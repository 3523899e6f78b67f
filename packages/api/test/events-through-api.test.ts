import { config } from "@users/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalEventRelay, type LocalEventRelay } from "../src/local/event-relay.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();
const received: { type: string; eventId: string; userId: string; actor: unknown }[] = [];
let relay: LocalEventRelay;

beforeAll(async () => {
  relay = await startLocalEventRelay({
    tableName: config().tableName,
    stateDir: null,
    subscribers: [
      {
        name: "test-subscriber",
        pattern: { source: ["users.service"], "detail-type": [{ prefix: "user." }] },
        handler: (event) => {
          received.push(event.detail);
        },
      },
    ],
  });
});
afterAll(() => relay.stop());

async function eventually<T>(read: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for events");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("changes made through the API reach subscribers", () => {
  it("a created, suspended and deleted user: each event once, with the actor who did it", async () => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody(), token: null });
    const userId = created.body.userId;
    await api.request("PUT", `/v1/users/${userId}/status`, { body: { status: "suspended", reason: "test" } });
    await api.request("DELETE", `/v1/users/${userId}`);
    const mine = await eventually(() => {
      const events = received.filter((e) => e.userId === userId);
      return events.length >= 3 ? events : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000)); // nothing more arrives
    const events = received.filter((e) => e.userId === userId);
    expect(events.map((e) => e.type)).toEqual(["user.created", "user.status_changed", "user.deleted"]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    expect(mine[0]!.actor).toEqual({ kind: "anonymous" });
    expect(mine[1]!.actor).toEqual({ kind: "user", userId: api.adminId, roles: ["admin"] });
    const trail = await api.request("GET", `/v1/users/${userId}/audit`);
    expect(trail.body.items.map((e: { eventId: string }) => e.eventId).reverse()).toEqual(events.map((e) => e.eventId));
  });
});
