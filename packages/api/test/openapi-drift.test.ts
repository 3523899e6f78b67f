/**
 * The committed OpenAPI document (openapi/openapi.json) is what the procedures generate and what the
 * server serves (it serves the committed file, not a document generated at run time), the committed REST
 * types (openapi/schema.d.ts) are what openapi-typescript makes of it, and any of them stale fails here,
 * and so is the SDK @hey-api/openapi-ts generates from it (openapi/client/). Regenerate them with
 * `npm run openapi` (scripts/write-openapi.ts) and commit them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { clientDirName, generateClient, openApiDir, openApiJsonText, schemaTypesText } from "../../../scripts/write-openapi.ts";
import { openApiDocument } from "../src/openapi.ts";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer({ as: "anonymous" });
const committed = (name: string) => readFileSync(join(openApiDir, name), "utf8");
const regenerate = "is stale: run `npm run openapi` (npx tsx scripts/write-openapi.ts) and commit openapi/";

describe("committed OpenAPI files", () => {
  it("openapi/openapi.json is exactly the document the procedures generate", () => {
    expect(committed("openapi.json"), `openapi/openapi.json ${regenerate}`).toBe(openApiJsonText(openApiDocument()));
  });

  it("GET /openapi.json serves exactly openapi/openapi.json", async () => {
    const res = await api.request("GET", "/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(openApiJsonText(res.body)).toBe(committed("openapi.json"));
    // Cacheable, and revalidated with its ETag.
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const again = await api.request("GET", "/openapi.json", { token: null, headers: { "if-none-match": `"other", W/${etag}` } });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.get("etag")).toBe(etag);
    expect((await api.request("GET", "/openapi.json", { token: null, headers: { "if-none-match": '"other"' } })).status).toBe(200);
  });

  it("openapi/schema.d.ts is what openapi-typescript generates from that document", async () => {
    const document = JSON.parse(committed("openapi.json")) as unknown;
    expect(committed("schema.d.ts"), `openapi/schema.d.ts ${regenerate}`).toBe(await schemaTypesText(document));
  });

  it("openapi/client/ is what @hey-api/openapi-ts generates from that document", async () => {
    const document = JSON.parse(committed("openapi.json")) as unknown;
    const fresh = mkdtempSync(join(tmpdir(), "openapi-client-"));
    try {
      await generateClient(document, fresh);
      const files = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
          .sort();
      const committedDir = join(openApiDir, clientDirName);
      expect(files(committedDir), `openapi/client ${regenerate}`).toEqual(files(fresh));
      for (const file of files(fresh)) {
        expect(readFileSync(join(committedDir, file), "utf8"), `openapi/client/${file} ${regenerate}`).toBe(
          readFileSync(join(fresh, file), "utf8"),
        );
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
