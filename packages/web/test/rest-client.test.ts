/**
 * The REST API through openapi-fetch and the types openapi-typescript generated into
 * openapi/schema.d.ts: the docs/clients.md example, run for real. Paths, query parameters, bodies and
 * responses are all checked by `tsc` against the committed document.
 */
import createClient from "openapi-fetch";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { components, paths } from "../../../openapi/schema.d.ts";
import { useApiServer } from "../../api/test/helpers/api-server.ts";

const server = useApiServer();

type User = components["schemas"]["User"];

describe("REST client from the generated types", () => {
  it("signs in, lists, reads with the ETag, and changes with If-Match", async () => {
    const client = createClient<paths>({ baseUrl: server.url("") });
    const admin = await server.signedInUser(["admin"]);

    const login = await client.POST("/v1/auth/login", { body: { email: admin.email, password: admin.password } });
    expect(login.response.status).toBe(200);
    const token = login.data!.accessToken;
    const auth = { authorization: `Bearer ${token}` };

    const page = await client.GET("/v1/users", { params: { query: { status: "active", limit: 5 } }, headers: auth });
    expect(page.response.status).toBe(200);
    expectTypeOf(page.data!.items).toEqualTypeOf<User[]>();
    expect(page.data!.items.map((u) => u.userId)).toContain(admin.userId);

    const one = await client.GET("/v1/users/{userId}", { params: { path: { userId: admin.userId } }, headers: auth });
    expect(one.data!.email).toBe(admin.email);
    const etag = one.response.headers.get("etag")!;

    const stale = await client.PATCH("/v1/users/{userId}", {
      params: { path: { userId: admin.userId }, header: { "if-match": `"${one.data!.version + 1}"` } },
      body: { firstName: "Stale" },
      headers: auth,
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error!.code).toBe("VERSION_MISMATCH");

    const updated = await client.PATCH("/v1/users/{userId}", {
      params: { path: { userId: admin.userId }, header: { "if-match": etag } },
      body: { firstName: "Grace" },
      headers: auth,
    });
    expect(updated.data).toMatchObject({ firstName: "Grace", version: one.data!.version + 1 });

    const anonymous = await client.GET("/v1/users", {});
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error!.code).toBe("UNAUTHENTICATED");
  });
});
