import { describe, expect, it } from "vitest";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

/** Sends the body text as is: JSON.stringify would not let a test write a `__proto__` key. */
async function postRaw(path: string, json: string, method = "POST") {
  const response = await fetch(api.url(path), {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${api.adminToken}` },
    body: json,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const userJson = (metadataJson: string) => {
  const body = JSON.stringify(newUserBody());
  return `${body.slice(0, -1)},"metadata":${metadataJson}}`;
};

describe("metadata keys are plain data", () => {
  it("stores and returns __proto__, constructor and toString verbatim", async () => {
    const metadata = '{"__proto__":"p","constructor":"c","toString":1,"hasOwnProperty":true,"valueOf":"v"}';
    const created = await postRaw("/v1/users", userJson(metadata));
    expect(created.status, created.text).toBe(201);
    expect(created.text).toContain('"__proto__":"p"');
    const userId = JSON.parse(created.text).userId as string;

    const read = await fetch(api.url(`/v1/users/${userId}`), { headers: { authorization: `Bearer ${api.adminToken}` } });
    const text = await read.text();
    expect(read.status).toBe(200);
    const parsed = JSON.parse(text) as { metadata: Record<string, unknown> };
    expect(Object.getOwnPropertyNames(parsed.metadata).sort()).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"]);
    expect(text).toContain('"__proto__":"p"');
    expect(parsed.metadata.constructor).toBe("c");
    expect(parsed.metadata.toString).toBe(1);

    // A PATCH keeps them as data too, and a key that starts with NUL is not mistaken for an escape.
    const patched = await postRaw(`/v1/users/${userId}`, '{"metadata":{"__proto__":"q","\\u0000x":"nul"}}', "PATCH");
    expect(patched.status, patched.text).toBe(200);
    const after = JSON.parse(patched.text) as { metadata: Record<string, unknown> };
    expect(Object.getOwnPropertyNames(after.metadata).sort()).toEqual(["\u0000x", "__proto__"]);
    const again = JSON.parse(await (await fetch(api.url(`/v1/users/${userId}`), { headers: { authorization: `Bearer ${api.adminToken}` } })).text());
    expect(again.metadata["\u0000x"]).toBe("nul");
    expect(Object.getOwnPropertyDescriptor(again.metadata, "__proto__")?.value).toBe("q");
  });

  it("accepts keys of 1 to 64 characters and refuses longer or empty ones", async () => {
    const ok = await api.request("POST", "/v1/users", { body: newUserBody({ metadata: { ["k".repeat(64)]: 1, a: 2 } }) });
    expect(ok.status).toBe(201);
    for (const key of ["k".repeat(65), ""]) {
      const res = await api.request("POST", "/v1/users", { body: newUserBody({ metadata: { [key]: 1 } }) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
  });
});

describe("metadata numbers DynamoDB cannot hold exactly", () => {
  it.each(["1e16", "1e20", "1e125", "5e-324", "-1e16", "9007199254740993", "1e-131"])("refuses %s with 400", async (literal) => {
    const res = await postRaw("/v1/users", userJson(`{"n":${literal}}`));
    expect(res.status, res.text).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it.each([0, -1, 9007199254740991, -9007199254740991, 0.1, 1.5e-130, 123456.789, 1e15 + 0.5])("stores %s and reads it back exactly", async (value) => {
    const created = await api.request("POST", "/v1/users", { body: newUserBody({ metadata: { n: value } }) });
    expect(created.status).toBe(201);
    const read = await api.request("GET", `/v1/users/${created.body.userId}`);
    expect(read.body.metadata.n).toBe(value);
  });
});
