import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { responseConformance, type OpenApiDocument } from "./response-conformance.ts";

type Conformance = ReturnType<typeof responseConformance>;

/** The servers whose responses are checked now, by origin, each with the violations found so far. */
const checked = new Map<string, { conformance: Conformance; violations: string[] }>();
let unwrappedFetch: typeof globalThis.fetch | undefined;
let committed: Conformance | undefined;

/**
 * The checker for openapi/openapi.json, the document every server serves (it serves the committed file;
 * openapi-drift.test.ts holds the two equal), for servers whose own /openapi.json a test should not ask
 * for (asking counts against a rate limit, or the server is in another process).
 */
function committedConformance(): Conformance {
  committed ??= responseConformance(JSON.parse(readFileSync(new URL("../../../../openapi/openapi.json", import.meta.url), "utf8")));
  return committed;
}

/** What is wrong with this response from `url`, if its server is being checked; the file's list gets it too. */
export async function conformanceViolations(url: string, method: string, response: Response): Promise<string[]> {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const server = parsed && checked.get(parsed.origin);
  if (!server) return [];
  const found = await server.conformance.violationsOf(method, parsed.pathname, response);
  server.violations.push(...found);
  return found;
}

/** While any server is checked, every fetch to it (this suite's, a generated client's) is checked. */
function wrapFetch() {
  if (unwrappedFetch) return;
  const unwrapped = (unwrappedFetch = globalThis.fetch);
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await unwrapped(request);
    if (checked.has(new URL(request.url).origin)) await conformanceViolations(request.url, request.method, response.clone());
    return response;
  };
}

/**
 * From now on, every response from the server at `base` to a path of the OpenAPI document, whether
 * fetched (fetch, a generated client) or sent by rawRequest (node:http), is checked against `document`
 * (default: the committed openapi/openapi.json). `finish` stops checking it and fails on any violation.
 */
export function checkResponsesOf(base: string, document?: OpenApiDocument) {
  const origin = new URL(base).origin;
  const server = { conformance: document ? responseConformance(document) : committedConformance(), violations: [] as string[] };
  checked.set(origin, server);
  wrapFetch();
  return {
    finish() {
      checked.delete(origin);
      if (checked.size === 0 && unwrappedFetch) {
        globalThis.fetch = unwrappedFetch;
        unwrappedFetch = undefined;
      }
      expect(server.violations, `REST responses of ${base} that break the OpenAPI document`).toEqual([]);
    },
  };
}
