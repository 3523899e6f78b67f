import { request as httpRequest } from "node:http";
import { conformanceViolations } from "./checked-responses.ts";

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  body: any;
  /** How the answer breaks the OpenAPI document, when its server is checked (checkResponsesOf); else empty. */
  violations: string[];
}

/** Statuses whose answer cannot have a body (a Response refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * Any method (TRACE, lower-case, made-up ones) and any header, which fetch refuses to send: what a
 * client on the network can send. When the server is checked (checkResponsesOf), so is the answer.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: options.headers, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          const status = res.statusCode!;
          const answer = status >= 200 && status <= 599 ? new Response(NO_BODY.has(status) ? null : text, { status, headers }) : null;
          const checked = answer ? conformanceViolations(`${url.origin}${path}`, method, answer) : Promise.resolve([]);
          checked.then((violations) => resolve({ status, headers, text, body, violations }), reject);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 20 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}
