import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { docsHtml } from "./docs-page.ts";

/**
 * Headers every response carries: `X-Content-Type-Options: nosniff` and the other defaults of Hono's
 * secure-headers (no framing anywhere), and `Cache-Control: no-store` unless a route chose its own
 * caching (JWKS, docs assets): API responses carry tokens or user data, which no cache may keep.
 */
export function responseHeaders(): MiddlewareHandler {
  const secure = secureHeaders({ xFrameOptions: "DENY", crossOriginResourcePolicy: "cross-origin" });
  return async (c, next) => {
    await secure(c, async () => {
      await next();
      if (!c.res.headers.has("cache-control")) c.res.headers.set("Cache-Control", "no-store");
    });
  };
}

/** The one inline script of /docs, allowed by its hash rather than by 'unsafe-inline'. */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`,
  );
}

/** Content-Security-Policy of the pages a browser renders (/docs, /admin): nothing may frame them. */
/**
 * Where the console uploads pictures and loads them from (the S3 endpoint and the avatars' public URL),
 * when this process knows them: the pages may reach those origins and no others.
 */
function avatarOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const origins = [env.S3_ENDPOINT, env.AVATAR_PUBLIC_URL].flatMap((url) => {
    try {
      return url ? [new URL(url).origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

export function pageSecurityPolicy(): MiddlewareHandler {
  const avatars = avatarOrigins();
  return secureHeaders({
    xFrameOptions: "DENY",
    crossOriginResourcePolicy: "cross-origin",
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...inlineScriptHashes(docsHtml)],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // blob: is the console's preview of a picture before it is uploaded.
      imgSrc: ["'self'", "data:", "blob:", ...avatars],
      connectSrc: ["'self'", ...avatars],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
}

/** CORS_ORIGINS: comma-separated origins allowed to call the API from a browser; default none. */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/$/, ""))
    .filter(Boolean);
}

/**
 * Cross-origin calls only from the allowed origins: requests from any other origin (or none) get no
 * CORS headers, so browsers refuse them; a preflight from an allowed origin is 204 with the methods and
 * headers the API accepts.
 */
export function corsFor(origins: string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Request-Id", "X-Correlation-Id", "trpc-accept"],
    exposeHeaders: ["ETag", "Location", "Retry-After", "X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin || !allowed.has(origin)) return next();
    return handler(c, next);
  };
}
