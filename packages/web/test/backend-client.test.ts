/**
 * docs/backend-clients.md, run for real: a machine client gets a token with the client-credentials grant
 * through openapi-fetch and the committed OpenAPI types, then calls the API with it.
 */
import createClient from "openapi-fetch";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { paths } from "../../../openapi/schema.d.ts";
import { useApiServer } from "../../api/test/helpers/api-server.ts";

const server = useApiServer();

describe("a backend calling the API as a machine client", () => {
  it("gets a token with openapi-fetch and lists users with it", async () => {
    const created = await server.request("POST", "/v1/clients", { body: { name: "billing-sync", scopes: ["users:read"] } });
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body as { clientId: string; clientSecret: string };

    const api = createClient<paths>({ baseUrl: server.url("") });
    let token: { value: string; expiresAt: number } | undefined;
    async function accessToken(): Promise<string> {
      if (token && token.expiresAt - Date.now() > 60_000) return token.value;
      const { data, error } = await api.POST("/v1/oauth/token", {
        body: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
      });
      if (!data) throw new Error(`token request failed: ${error?.code}`);
      expectTypeOf(data.expires_in).toEqualTypeOf<number>();
      token = { value: data.access_token, expiresAt: Date.now() + data.expires_in * 1000 };
      return token.value;
    }

    const { data: page, response } = await api.GET("/v1/users", {
      params: { query: { status: "active", limit: 20 } },
      headers: { authorization: `Bearer ${await accessToken()}` },
    });
    expect(response.status).toBe(200);
    expect(page!.items.map((u) => u.userId)).toContain(server.adminId);
    expect(await accessToken()).toBe(token!.value); // reused while fresh

    const denied = await api.POST("/v1/users", {
      body: { email: "x@example.com", password: "long enough", firstName: "A", lastName: "B" },
      headers: { authorization: `Bearer ${await accessToken()}` },
    });
    expect(denied.error?.code).toBe("INSUFFICIENT_SCOPE");

    const wrong = await api.POST("/v1/oauth/token", {
      body: { grant_type: "client_credentials", client_id: clientId, client_secret: "wrong" },
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error).toMatchObject({ code: "INVALID_CLIENT", error: "invalid_client" });
  });
});
