import { createHash } from "node:crypto";
import type { Context } from "hono";

let served: Promise<{ text: string; etag: string }> | undefined;

/**
 * `GET /openapi.json`: the document as committed (`npm run openapi` writes it from the procedures;
 * openapi-drift.test.ts fails when it is stale). It is loaded on the first request, so the generator
 * stays out of the function and the document is a chunk of its own in the Lambda bundle, not part of a
 * cold start; it is serialized once per instance (about 600 KB), with a strong ETag, so a client that
 * polls it gets 304 Not Modified.
 */
export async function openApiDocument(c: Context): Promise<Response> {
  served ??= import("../../../openapi/openapi.json", { with: { type: "json" } }).then(({ default: document }) => {
    const text = JSON.stringify(document);
    return { text, etag: `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"` };
  });
  const { text, etag } = await served;
  const headers = { etag, "cache-control": "public, max-age=300" };
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return c.body(null, 304, headers);
  return c.body(text, 200, { ...headers, "content-type": "application/json" });
}
