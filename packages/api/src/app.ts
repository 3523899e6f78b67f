import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Access, AppError, Observability, RateLimit, config, tableIsReachable, type RateLimitSettings } from "@users/core";
import { Hono, type Context as HonoContext, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { allowedMethods } from "./allowed-methods.ts";
import { createContext, type RequestInfo } from "./context.ts";
import { docsAsset, docsHtml, docsHtmlAtSlash } from "./docs-page.ts";
import { deleteBodyAsQuery } from "./delete-body.ts";
import { errorResponse, toContractErrorResponse } from "./errors-response.ts";
import { oauthTokenHandler } from "./oauth-token.ts";
import { openApiDocument } from "./openapi-route.ts";
import { requestIdScope } from "./request-id.ts";
import { restHandler } from "./rest-handler.ts";
import { RequestRateLimits } from "./rate-limits.ts";
import { REQUEST_DEADLINE_MS, requestDeadline } from "./request-deadline.ts";
import { corsFor, corsOriginsFromEnv, pageSecurityPolicy, responseHeaders } from "./response-headers.ts";
import { appRouter } from "./router.ts";

/**
 * A POST/PUT/PATCH with no body at all (`POST /v1/auth/logout`) is read as an empty JSON object rather
 * than refused for its missing Content-Type; a body in any other type is still 415.
 */
function withEmptyJsonBody(request: Request): Request {
  request = asAdapterRequest(request);
  const hasBody = request.headers.get("content-length") !== null && request.headers.get("content-length") !== "0";
  if (request.method === "GET" || request.method === "DELETE" || request.headers.get("content-type") || hasBody) return request;
  if (request.headers.get("transfer-encoding")) return request;
  const headers = new Headers(request.headers);
  headers.set("content-type", "application/json");
  return new Request(request, { headers, body: "{}" });
}

/**
 * What the tRPC and REST adapters get: HEAD asked as GET (Hono drops the body of the answer), and a
 * JSON media type in any case, with parameters (`Application/JSON; charset=utf-8`), as plain
 * `application/json…`, which is all the adapters recognise.
 */
function asAdapterRequest(request: Request): Request {
  const contentType = request.headers.get("content-type");
  const [mediaType, ...parameters] = contentType?.split(";") ?? [];
  const jsonNeedsCase = mediaType !== undefined && mediaType.trim().toLowerCase() === "application/json" && mediaType !== "application/json";
  if (request.method !== "HEAD" && !jsonNeedsCase) return request;
  const headers = new Headers(request.headers);
  if (jsonNeedsCase) headers.set("content-type", ["application/json", ...parameters].join(";"));
  const method = request.method === "HEAD" ? "GET" : request.method;
  const body = method === "GET" ? undefined : request.body;
  return new Request(request.url, { method, headers, body, ...(body ? { duplex: "half" } : {}) } as RequestInit);
}

export type Env = { Variables: { requestId: string; rateLimits: RequestRateLimits } };

export interface AppOptions {
  /** The caller's address as the hosting platform reports it (never a client-set header). */
  clientIp: (c: HonoContext<Env>) => string | undefined;
  /** Rate limits; default: the configuration (RATE_LIMIT_* environment variables), read on first use. */
  rateLimits?: RateLimitSettings;
  /** Allowed cross-origin callers; default: CORS_ORIGINS. */
  corsOrigins?: string[];
  /** The answer deadline of every request (503 STORE_UNAVAILABLE after it); default 8 s. */
  deadlineMs?: number;
  /** The deadline of the /ready probe of the table; default 2 s. */
  readyTimeoutMs?: number;
  /** The counter of rate limits (one per process; tests make one per app to act as instances). */
  rateLimiter?: RateLimit.RateLimiter;
}

const MAX_BODY_BYTES = 64 * 1024;
/** Calls in one tRPC batch (contract): more is 400 BATCH_TOO_LARGE before any of them runs. */
const MAX_BATCH_CALLS = 10;
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
    rateLimits: c.get("rateLimits"),
  });

  app.use(async (c, next) => {
    const requestId = saneId(c.req.header("x-request-id")) ?? randomUUID();
    c.set("requestId", requestId);
    await next();
    c.res.headers.set("X-Request-Id", requestId);
  });
  app.use(responseHeaders());
  app.use("/docs", pageSecurityPolicy());
  app.use("/docs/*", pageSecurityPolicy());
  app.use("/admin", pageSecurityPolicy());
  app.use("/admin/*", pageSecurityPolicy());
  app.use(corsFor(options.corsOrigins ?? corsOriginsFromEnv()));

  // A path the service does not have is 404; a method it does not answer there is 405 with Allow.
  app.use(async (c, next) => {
    const allowed = allowedMethods(c.req.path);
    if (!allowed) return errorResponse(c, { code: "NOT_FOUND", message: "There is nothing here." });
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allowed.join(", ") });
    // A GET or POST that names a tRPC procedure of the other kind is tRPC's to answer, in its own error
    // shape (405 METHOD_NOT_ALLOWED); any other method is refused here.
    const trpcOwnsIt = c.req.path.startsWith("/trpc/") && (c.req.method === "GET" || c.req.method === "POST");
    if (!allowed.includes(c.req.method) && !trpcOwnsIt) {
      const response = errorResponse(c, { code: "METHOD_NOT_ALLOWED", message: `Use ${allowed.join(", ")} here.` });
      response.headers.set("Allow", allowed.join(", "));
      return response;
    }
    await next();
    if (c.res.status === 405 && !c.res.headers.has("allow")) c.res.headers.set("Allow", allowed.join(", "));
  });

  app.use(
    requestDeadline(options.deadlineMs ?? REQUEST_DEADLINE_MS, (c) =>
      errorResponse(c, { code: "STORE_UNAVAILABLE", message: "The request did not finish in time; retry shortly.", retryAfterSeconds: 2 }),
    ),
  );

  const limiter = options.rateLimiter ?? new RateLimit.RateLimiter();
  app.use(async (c, next) => {
    const limits = new RequestRateLimits(
      limiter,
      options.rateLimits ?? config().rateLimits,
      options.clientIp(c) ?? null,
      c.req.path.startsWith("/trpc/"),
    );
    c.set("rateLimits", limits);
    const withHeaders = (response: Response) => {
      for (const [name, value] of Object.entries(limits.headers() ?? {})) response.headers.set(name, value);
      return response;
    };
    if (!limits.ipPerCall) {
      try {
        await limits.countIp();
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return withHeaders(errorResponse(c, { code: error.code, message: error.message, retryAfterSeconds: error.details.retryAfterSeconds }));
      }
    }
    await next();
    // A tRPC request refused before any procedure ran (a malformed batch) still counts once.
    if (limits.ipPerCall && limits.calls === 0) await limits.countIp().catch(() => undefined);
    withHeaders(c.res);
  });

  app.onError((error, c) => {
    Observability.log.error("Unexpected error", { requestId: c.get("requestId"), error });
    return errorResponse(c, { code: "INTERNAL", message: "Something went wrong on our side." });
  });
  app.notFound((c) => errorResponse(c, { code: "NOT_FOUND", message: "There is nothing here." }));

  const bodyOver64KiB = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, { code: "PAYLOAD_TOO_LARGE", message: "The body is larger than 64 KiB." }),
  });
  // A GET or HEAD has no body to limit (the adapters never read one), and asking for it would make the
  // local server build a full Request from the Node request: about a tenth of a REST get's CPU.
  const limitBody: MiddlewareHandler<Env> = (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : bodyOver64KiB(c, next);

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.get("/ready", async (c) =>
    (await tableIsReachable(config().tableName, options.readyTimeoutMs ?? 2_000))
      ? c.json({ status: "ready" })
      : errorResponse(c, { code: "NOT_READY", message: "The table does not answer yet." }),
  );
  app.get("/openapi.json", openApiDocument);
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
        req: asAdapterRequest(c.req.raw),
        maxBatchSize: MAX_BATCH_CALLS,
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

  app.post("/v1/oauth/token", limitBody, oauthTokenHandler(requestInfo));

  // The procedures' paths already start with /v1, so the URL is handed over as it is.
  const rest = restHandler({
    responseMeta: ({ ctx, errors }) =>
      errors.length === 0 && ctx ? { status: ctx.response.status ?? 200, headers: ctx.response.headers } : {},
    onError: logServerError,
  });
  app.all("/v1/*", limitBody, async (c) => {
    const request = await deleteBodyAsQuery(c.req.raw);
    if (!request) return errorResponse(c, { code: "MALFORMED_JSON", message: "The body is not a JSON object." });
    return toContractErrorResponse(await rest(withEmptyJsonBody(request), requestInfo(c)), c.get("requestId"));
  });

  return app;
}
