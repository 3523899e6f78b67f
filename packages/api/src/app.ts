import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Access, AppError, Observability, config, tableIsReachable } from "@users/core";
import { Hono, type Context as HonoContext } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { createContext, type RequestInfo } from "./context.ts";
import { docsAsset, docsHtml, docsHtmlAtSlash } from "./docs-page.ts";
import { errorResponse, toContractErrorResponse } from "./errors-response.ts";
import { openApiDocument } from "./openapi.ts";
import { requestIdScope } from "./request-id.ts";
import { appRouter } from "./router.ts";

/**
 * A POST/PUT/PATCH with no body at all (`POST /v1/auth/logout`) is read as an empty JSON object rather
 * than refused for its missing Content-Type; a body in any other type is still 415.
 */
function withEmptyJsonBody(request: Request): Request {
  const hasBody = request.headers.get("content-length") !== null && request.headers.get("content-length") !== "0";
  if (request.method === "GET" || request.method === "DELETE" || request.headers.get("content-type") || hasBody) return request;
  if (request.headers.get("transfer-encoding")) return request;
  const headers = new Headers(request.headers);
  headers.set("content-type", "application/json");
  return new Request(request, { headers, body: "{}" });
}

export type Env = { Variables: { requestId: string } };

export interface AppOptions {
  /** The caller's address as the hosting platform reports it (never a client-set header). */
  clientIp: (c: HonoContext<Env>) => string | undefined;
}

const MAX_BODY_BYTES = 64 * 1024;
/** A caller-given id we are willing to echo and log. */
const saneId = (value: string | undefined) => (value && /^[A-Za-z0-9._:\-]{1,128}$/.test(value) ? value : undefined);

function logServerError({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) {
  if (error.code === "INTERNAL_SERVER_ERROR") {
    Observability.log.error("Unexpected error", { procedure: path, error: error.cause ?? error });
  }
}

/**
 * The one HTTP app: tRPC at /trpc, the REST adapter generated from the same procedures at /v1, and the
 * service's own routes. The Lambda handler and the local server both serve exactly this.
 */
export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>();

  const requestInfo = (c: HonoContext<Env>): RequestInfo => ({
    requestId: c.get("requestId"),
    correlationId: saneId(c.req.header("x-correlation-id")) ?? c.get("requestId"),
    sourceIp: options.clientIp(c) ?? null,
    userAgent: c.req.header("user-agent") ?? null,
    headers: c.req.raw.headers,
  });

  app.use(async (c, next) => {
    const requestId = saneId(c.req.header("x-request-id")) ?? randomUUID();
    c.set("requestId", requestId);
    await next();
    c.res.headers.set("X-Request-Id", requestId);
  });

  app.onError((error, c) => {
    Observability.log.error("Unexpected error", { requestId: c.get("requestId"), error });
    return errorResponse(c, { code: "INTERNAL", message: "Something went wrong on our side." });
  });
  app.notFound((c) => errorResponse(c, { code: "NOT_FOUND", message: "There is nothing here." }));

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, { code: "PAYLOAD_TOO_LARGE", message: "The body is larger than 64 KiB." }),
  });

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) =>
    (await tableIsReachable(config().tableName))
      ? c.json({ status: "ready" })
      : errorResponse(c, { code: "NOT_READY", message: "The table does not answer yet." }),
  );
  app.get("/openapi.json", (c) => c.json(openApiDocument()));
  app.get("/.well-known/jwks.json", async (c) =>
    c.json(await Access.publicJwks(), 200, { "cache-control": "public, max-age=300" }),
  );
  app.get("/docs", (c) => c.html(docsHtml));
  app.get("/docs/", (c) => c.html(docsHtmlAtSlash));
  app.get("/docs/:asset", async (c) => {
    const asset = await docsAsset(c.req.param("asset"));
    if (!asset) return c.notFound();
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=86400",
    });
  });

  app.all("/trpc/*", limitBody, (c) => {
    // OPTIONS is answered as on the REST routes (tRPC would read it as a call without a body).
    if (c.req.method === "OPTIONS") return c.notFound();
    return requestIdScope.run(c.get("requestId"), () =>
      fetchRequestHandler({
        endpoint: "/trpc",
        req: c.req.raw,
        router: appRouter,
        createContext: () => createContext(requestInfo(c)),
        responseMeta: ({ errors }) => {
          const wait = errors.map((e) => (e.cause instanceof AppError ? e.cause.details.retryAfterSeconds : undefined)).find(Boolean);
          return wait ? { headers: { "Retry-After": String(wait) } } : {};
        },
        onError: logServerError,
      }),
    );
  });

  app.all("/v1/*", limitBody, async (c) => {
    const response = await createOpenApiFetchHandler({
      // The procedures' paths already start with /v1, so nothing is stripped from the URL.
      endpoint: "" as "/",
      req: withEmptyJsonBody(c.req.raw),
      router: appRouter,
      createContext: () => createContext(requestInfo(c)),
      responseMeta: ({ ctx, errors }) =>
        errors.length === 0 && ctx ? { status: ctx.response.status ?? 200, headers: ctx.response.headers } : {},
      onError: logServerError,
    });
    return toContractErrorResponse(response, c.get("requestId"));
  });

  return app;
}
