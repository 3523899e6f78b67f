import type { AddressInfo } from "node:net";
import { User, withContext } from "@users/core";

type Role = User.Role;
import { afterAll, beforeAll } from "vitest";
import type { AppOptions } from "../../src/app.ts";
import { serveLocally } from "../../src/local/server.ts";
import { checkResponsesOf } from "./checked-responses.ts";

let counter = 0;
/** A valid sign-up body with a unique email. */
export function newUserBody(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return {
    email: `user.${tag}@example.com`,
    password: "correct horse battery",
    firstName: "Ada",
    lastName: "Lovelace",
    ...overrides,
  };
}

/** A user made directly in the table, as the first-admin tool does (system actor). */
export async function seedUser(options: { roles?: Role[]; status?: "active" | "suspended" | "pending" } = {}) {
  const body = newUserBody();
  const user = await withContext({ actor: { kind: "system", name: "test-seed" } }, () =>
    User.create({ ...body, roles: options.roles ?? ["customer"], status: options.status ?? "active" }),
  );
  return { user, email: body.email, password: body.password };
}

type RequestOptions = { body?: unknown; headers?: Record<string, string>; token?: string | null };

/**
 * The real app on a real port for this test file. Requests go as the file's seeded admin unless they
 * pass `token` (another user's access token, or null for anonymous). Every REST response from it,
 * fetched or sent with rawRequest, is checked against the OpenAPI document it serves (checkResponsesOf);
 * the file fails at its end on any violation.
 */
export function useApiServer(options: { as?: "admin" | "anonymous"; app?: Partial<AppOptions> } = {}) {
  let base = "";
  let close: () => Promise<void> = async () => {};
  let conformance: ReturnType<typeof checkResponsesOf> | undefined;
  const api = {
    adminToken: null as string | null,
    adminId: "",
    url: (path: string) => `${base}${path}`,
    /** JSON in, JSON out; the response with its parsed body. */
    async request(method: string, path: string, request: RequestOptions = {}) {
      const token = request.token === undefined ? api.adminToken : request.token;
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const text = await response.text();
      const body = text ? (JSON.parse(text) as any) : undefined;
      return { status: response.status, headers: response.headers, body };
    },
    /** Signs in through the API; the login response body. */
    async signIn(email: string, password: string, headers: Record<string, string> = {}) {
      const res = await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null, headers });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { accessToken: string; refreshToken: string; user: { userId: string } };
    },
    /** A seeded user, signed in: its id, token and credentials. */
    async signedInUser(roles: Role[] = ["customer"]) {
      const seeded = await seedUser({ roles });
      const tokens = await api.signIn(seeded.email, seeded.password);
      return { ...seeded, userId: seeded.user.userId, token: tokens.accessToken, refreshToken: tokens.refreshToken };
    },
  };
  beforeAll(async () => {
    const server = await serveLocally(0, "127.0.0.1", options.app);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    conformance = checkResponsesOf(base, await (await fetch(`${base}/openapi.json`)).json());
    if (options.as !== "anonymous") {
      const admin = await api.signedInUser(["admin"]);
      api.adminToken = admin.token;
      api.adminId = admin.userId;
    }
  });
  afterAll(async () => {
    await close();
    conformance?.finish();
  });
  return api;
}
