import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { serveLocally } from "../../src/local/server.ts";

/** The real app on a real port for this test file; `api.url("/v1/users")` and `api.fetch(...)`. */
export function useApiServer() {
  let base = "";
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const server = await serveLocally(0, "127.0.0.1");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  return {
    url: (path: string) => `${base}${path}`,
    /** JSON in, JSON out; the response with its parsed body. */
    async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      const body = text ? (JSON.parse(text) as any) : undefined;
      return { status: response.status, headers: response.headers, body };
    },
  };
}

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
