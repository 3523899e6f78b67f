import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

describe("/openapi.json and /docs", () => {
  it("serves a valid OpenAPI 3.1 document of every /v1 operation", async () => {
    const res = await api.request("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const document = res.body;
    expect(document.openapi).toBe("3.1.0");
    await SwaggerParser.validate(structuredClone(document));
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "POST /v1/users",
        "GET /v1/users",
        "GET /v1/users/{userId}",
        "PATCH /v1/users/{userId}",
        "PUT /v1/users/{userId}",
        "DELETE /v1/users/{userId}",
        "PUT /v1/users/{userId}/status",
        "POST /v1/users/{userId}/roles",
        "DELETE /v1/users/{userId}/roles/{role}",
        "GET /v1/users/{userId}/audit",
        "POST /v1/users/{userId}/password",
        "POST /v1/users/{userId}/avatar",
        "DELETE /v1/users/{userId}/avatar",
        "POST /v1/auth/login",
        "POST /v1/auth/refresh",
        "POST /v1/auth/logout",
        "GET /v1/auth/me",
        "GET /v1/auth/sessions",
        "DELETE /v1/auth/sessions/{sessionId}",
      ].sort(),
    );
  });

  it("declares the real success statuses and the contract's error body", async () => {
    const { body: document } = await api.request("GET", "/openapi.json");
    const create = document.paths["/v1/users"].post.responses;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(["201", "400", "409", "500"]));
    expect(create["200"]).toBeUndefined();
    expect(create["201"].headers).toHaveProperty("Location");
    expect(Object.keys(document.paths["/v1/users/{userId}"].delete.responses)).toContain("204");
    expect(document.paths["/v1/users/{userId}"].patch.responses["412"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
    expect(document.components.schemas.Error.required).toEqual(expect.arrayContaining(["code", "message", "requestId"]));
  });

  it("renders /docs from packaged assets, with no CDN", async () => {
    const page = await fetch(api.url("/docs"));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ["docs/swagger-ui-bundle.js", "docs/swagger-ui.css"]) {
      expect(html).toContain(asset);
      const res = await fetch(api.url(`/${asset}`));
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(api.url("/docs/../../package.json"))).status).toBe(404);
  });
});
