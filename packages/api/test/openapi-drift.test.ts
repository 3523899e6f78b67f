/**
 * The committed OpenAPI document (openapi/openapi.json) is what the server serves, and the committed
 * REST types (openapi/schema.d.ts) are what openapi-typescript makes of it. Either one stale fails here:
 * regenerate both with `npm run openapi` (scripts/write-openapi.ts) and commit them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDir, openApiJsonText, schemaTypesText } from "../../../scripts/write-openapi.ts";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer({ as: "anonymous" });
const committed = (name: string) => readFileSync(join(openApiDir, name), "utf8");
const regenerate = "is stale: run `npm run openapi` (npx tsx scripts/write-openapi.ts) and commit openapi/";

describe("committed OpenAPI files", () => {
  it("openapi/openapi.json is exactly the document GET /openapi.json serves", async () => {
    const res = await api.request("GET", "/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(committed("openapi.json"), `openapi/openapi.json ${regenerate}`).toBe(openApiJsonText(res.body));
  });

  it("openapi/schema.d.ts is what openapi-typescript generates from that document", async () => {
    const document = JSON.parse(committed("openapi.json")) as unknown;
    expect(committed("schema.d.ts"), `openapi/schema.d.ts ${regenerate}`).toBe(await schemaTypesText(document));
  });
});
