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
        "GET /v1/users/stats",
        "GET /v1/users/{userId}/sessions",
        "GET /v1/users/{userId}/data-export",
        "POST /v1/users/{userId}/erase",
        "DELETE /v1/users/{userId}/sessions",
        "POST /v1/users/{userId}/password",
        "POST /v1/users/{userId}/avatar",
        "DELETE /v1/users/{userId}/avatar",
        "POST /v1/auth/login",
        "POST /v1/auth/refresh",
        "POST /v1/auth/logout",
        "GET /v1/auth/me",
        "GET /v1/auth/sessions",
        "DELETE /v1/auth/sessions/{sessionId}",
        "POST /v1/auth/verify-email",
        "POST /v1/auth/verify-email/resend",
        "POST /v1/auth/password-reset",
        "POST /v1/auth/password-reset/confirm",
        "POST /v1/auth/invitations/accept",
        "POST /v1/auth/mfa/totp",
        "POST /v1/auth/mfa/totp/confirm",
        "POST /v1/auth/mfa/verify",
        "DELETE /v1/users/{userId}/mfa",
        "POST /v1/clients",
        "GET /v1/clients",
        "DELETE /v1/clients/{clientId}",
        "POST /v1/oauth/token",
      ].sort(),
    );
  });

  it("declares the real success statuses and the contract's error body", async () => {
    const { body: document } = await api.request("GET", "/openapi.json");
    const create = document.paths["/v1/users"].post.responses;
    expect(create["200"]).toBeUndefined();
    expect(Object.keys(create["201"].headers)).toEqual(expect.arrayContaining(["Location", "ETag", "X-Request-Id"]));
    expect(Object.keys(document.paths["/v1/users/{userId}"].delete.responses)).toContain("204");
    expect(Object.keys(document.paths["/v1/auth/password-reset"].post.responses)).toContain("202");
    expect(document.paths["/v1/auth/password-reset"].post.responses["200"]).toBeUndefined();
    expect(document.paths["/v1/users/{userId}"].patch.responses["412"].content["application/json"].schema).toEqual({
      allOf: [
        { $ref: "#/components/schemas/Error" },
        { type: "object", properties: { code: { type: "string", enum: ["VERSION_MISMATCH"] } }, required: ["code"] },
      ],
    });
    expect(document.components.schemas.Error.required).toEqual(expect.arrayContaining(["code", "message", "requestId"]));
    expect(Object.keys(document.components.schemas).filter((name) => name.startsWith("error."))).toEqual([]);
    expect(document.paths["/v1/auth/me"].get.responses["200"].headers).toHaveProperty("ETag");
  });

  it("declares every answer of every operation, with the codes each status carries", async () => {
    const { body: document } = await api.request("GET", "/openapi.json");
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(operation.responses);
        const parameters = (operation.parameters ?? []) as { in: string; name: string }[];
        // The token endpoint authenticates the client, never a bearer token: no 403 is possible there.
        const expected = path === "/v1/oauth/token" ? ["400", "401", "429", "500", "503"] : ["400", "401", "403", "429", "500", "503"];
        if (parameters.some((p) => p.in === "path")) expected.push("404");
        if (["post", "put", "patch"].includes(method)) expected.push("413", "415");
        if (parameters.some((p) => p.name === "idempotency-key")) expected.push("409", "422");
        if (parameters.some((p) => p.name === "if-match")) expected.push("412");
        expect(statuses, where).toEqual(expect.arrayContaining(expected));
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          const codes: string[] = operation.responses[status].content["application/json"].schema.allOf[1].properties.code.enum;
          expect(codes.length, `${where} ${status}`).toBeGreaterThan(0);
          expect(operation.responses[status].description, `${where} ${status}`).toContain(codes[0]);
        }
        for (const status of ["429", "503"]) expect(operation.responses[status].headers, where).toHaveProperty("Retry-After");
        expect(operation.responses["429"].headers, where).toHaveProperty("RateLimit-Remaining");
        expect(operation.security, where).toBeDefined();
        // The tRPC-only fields travel as headers in REST.
        const body = operation.requestBody?.content["application/json"].schema;
        const bodySchema = body?.$ref ? document.components.schemas[body.$ref.split("/").pop()] : body;
        for (const field of ["expectedVersion", "idempotencyKey"]) {
          expect(Object.keys(bodySchema?.properties ?? {}), where).not.toContain(field);
          expect(parameters.map((p) => p.name), where).not.toContain(field);
        }
      }
    }
    const paths = document.paths;
    expect(paths["/v1/users"].post.security).toEqual([{}, { bearerAuth: [] }]);
    expect(paths["/v1/auth/login"].post.security).toEqual([]);
    expect(paths["/v1/auth/refresh"].post.security).toEqual([]);
    expect(paths["/v1/users"].get.security).toEqual([{ bearerAuth: [] }]);
    expect(paths["/v1/users"].post.responses["409"].content["application/json"].schema.allOf[1].properties.code.enum.sort()).toEqual(
      ["EMAIL_TAKEN", "IDEMPOTENCY_IN_PROGRESS", "USERNAME_TAKEN"],
    );
    expect(paths["/v1/auth/login"].post.responses["429"].content["application/json"].schema.allOf[1].properties.code.enum.sort()).toEqual(
      ["RATE_LIMITED", "TOO_MANY_ATTEMPTS"],
    );
    const user = document.components.schemas.User.properties;
    expect([user.userId.format, user.email.format, user.createdAt.format]).toEqual(["uuid", "email", "date-time"]);
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

  it("serves /docs/ like /docs, its assets and the document resolving from there", async () => {
    const page = await fetch(api.url("/docs/"));
    expect(page.status).toBe(200);
    const html = await page.text();
    const urls = [...html.matchAll(/(?:href|src|url:)\s*=?\s*"([^"]+)"/g)].map((m) => new URL(m[1]!, api.url("/docs/")).pathname);
    expect(urls).toEqual(expect.arrayContaining(["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/openapi.json"]));
    for (const path of urls) expect((await fetch(api.url(path))).status, path).toBe(200);
  });
});
