import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

/** Any JSON-ish value, including the wrong types in the right places. */
const anything = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 12 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.object()), { maxKeys: 60 }),
);

const field = (name: string) => fc.tuple(fc.constant(name), anything);
const fieldNames = [
  "email", "password", "firstName", "lastName", "username", "phoneNumber", "contacts", "metadata", "avatarUrl",
  "roles", "status", "expectedVersion", "userId", "__proto__", "constructor",
];

/** Bodies that mix valid fields with random ones. */
const bodies = fc
  .tuple(fc.boolean(), fc.array(fc.oneof(...fieldNames.map(field)), { maxLength: 8 }))
  .map(([startValid, pairs]) => ({ ...(startValid ? newUserBody() : {}), ...Object.fromEntries(pairs) }));

let userId = "";
beforeAll(async () => {
  userId = (await api.request("POST", "/v1/users", { body: newUserBody() })).body.userId;
});

describe("random bodies never cause a 5xx", () => {
  it("POST /v1/users", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await api.request("POST", "/v1/users", { body });
        expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        if (res.status >= 400) expect(res.body).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
      }),
      { numRuns: 150 },
    );
  });

  it("PATCH and PUT /v1/users/{userId}", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom("PATCH", "PUT"), async (body, method) => {
        const res = await api.request(method, `/v1/users/${userId}`, { body });
        expect(res.status, `${method} ${JSON.stringify(body)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it("list queries", async () => {
    const params = fc.dictionary(
      fc.constantFrom("status", "limit", "cursor", "email", "createdAfter", "createdBefore", "other"),
      fc.oneof(fc.string(), fc.integer().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    );
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const res = await api.request("GET", `/v1/users?${new URLSearchParams(query)}`);
        expect(res.status, JSON.stringify(query)).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
