/**
 * A DELETE may carry a small JSON body (`DELETE /v1/users/{userId}/mfa` with `{ "code" }`). The REST
 * adapter reads a DELETE's input from the query only, so the body's top-level strings, numbers and
 * booleans are moved into the query (a value already in the query wins). Null when the body is not a
 * JSON object.
 */
export async function deleteBodyAsQuery(request: Request): Promise<Request | null> {
  if (request.method !== "DELETE") return request;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return request;
  const text = await request.text();
  const url = new URL(request.url);
  if (text.trim() !== "") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return null;
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return null;
    for (const [key, value] of Object.entries(body)) {
      if (["string", "number", "boolean"].includes(typeof value) && !url.searchParams.has(key)) url.searchParams.set(key, String(value));
    }
  }
  const headers = new Headers(request.headers);
  headers.delete("content-type");
  headers.delete("content-length");
  return new Request(url, { method: "DELETE", headers });
}
