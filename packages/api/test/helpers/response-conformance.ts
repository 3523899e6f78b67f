import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;

type Header = { required?: boolean; $ref?: string };
type Response = { headers?: Record<string, Header>; content?: Record<string, { schema?: unknown }> };
type Operation = { responses?: Record<string, Response> };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { headers?: Record<string, Header> } };

/** Headers the contract gives meaning to: when a response sends one, its operation must declare it. */
const CONTRACT_HEADERS = ["etag", "location", "retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

const DOCUMENT_ID = "https://users-service.test/openapi.json";
const pointer = (...segments: string[]) =>
  segments.map((s) => `/${encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))}`).join("");

/**
 * Checks real responses against the OpenAPI document the server serves: the status is declared for the
 * operation, a JSON body matches its schema (formats included), a declared no-body answer has no body,
 * required headers are there, and every contract header sent (ETag, Location, Retry-After, RateLimit-*)
 * is declared. Requests to paths or methods the document does not describe are not its business.
 */
export function responseConformance(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const validators = new Map<string, ValidateFunction>();
  const operations = Object.entries(document.paths).map(([template, item]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
    item,
  }));
  const headerOf = (header: Header) =>
    header.$ref ? document.components?.headers?.[header.$ref.replace("#/components/headers/", "")] ?? header : header;

  const validatorFor = (...segments: string[]) => {
    const key = segments.join(" ");
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.getSchema(`${DOCUMENT_ID}#${pointer(...segments)}`);
      if (!validate) throw new Error(`no schema at ${key}`);
      validators.set(key, validate);
    }
    return validate;
  };

  /** What is wrong with this response, if anything (empty when it conforms). */
  async function violationsOf(method: string, path: string, response: globalThis.Response): Promise<string[]> {
    const operationMethod = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
    const match = operations.find((o) => o.pattern.test(path) && o.item[operationMethod]);
    if (!match) return [];
    const where = `${method} ${path} → ${response.status}`;
    const declared = match.item[operationMethod]!.responses ?? {};
    const statusKey = String(response.status) in declared ? String(response.status) : "default" in declared ? "default" : null;
    if (!statusKey) return [`${where}: status not declared for ${operationMethod.toUpperCase()} ${match.template}`];
    const answer = declared[statusKey]!;
    const problems: string[] = [];

    const declaredHeaders = new Map(Object.entries(answer.headers ?? {}).map(([name, h]) => [name.toLowerCase(), headerOf(h)]));
    for (const [name, header] of declaredHeaders) {
      if (header.required && !response.headers.has(name)) problems.push(`${where}: required header ${name} missing`);
    }
    for (const name of CONTRACT_HEADERS) {
      if (response.headers.has(name) && !declaredHeaders.has(name)) problems.push(`${where}: header ${name} sent but not declared`);
    }

    const text = method.toUpperCase() === "HEAD" ? "" : await response.text();
    const json = answer.content?.["application/json"];
    if (!json) {
      if (text) problems.push(`${where}: a body where the document declares none`);
      return problems;
    }
    if (method.toUpperCase() === "HEAD") return problems;
    if (!/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) {
      problems.push(`${where}: content-type ${response.headers.get("content-type")} is not application/json`);
      return problems;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `${where}: the body is not JSON`];
    }
    const validate = validatorFor("paths", match.template, operationMethod, "responses", statusKey, "content", "application/json", "schema");
    if (!validate(body)) {
      const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
      problems.push(`${where}: body does not match the schema: ${errors}`);
    }
    return problems;
  }

  return { violationsOf };
}
