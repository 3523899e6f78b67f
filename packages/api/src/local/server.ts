import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";
import { createApp, type AppOptions } from "../app.ts";
import { answerUnreadableRequest } from "./unreadable-request.ts";

// As in Lambda (infra/bundling.ts): with NODE_ENV=production, trpc-to-openapi does not re-validate the
// whole router on every REST request. Tests set NODE_ENV=test and keep the check.
process.env.NODE_ENV ??= "production";

/** The admin console's build (`npm run build -w @users/web`), served at /admin/ by the local server. */
export const webDist = fileURLToPath(new URL("../../../web/dist", import.meta.url));

/** The API on a local port, through the same app the Lambda serves, plus the admin console at /admin/. */
export function serveLocally(port: number, hostname = "0.0.0.0", options: Partial<AppOptions> = {}): Promise<ServerType> {
  const app = createApp({ clientIp: (c) => getConnInfo(c).remote.address, ...options });

  // The console uses relative asset URLs, so /admin must end in a slash.
  app.get("/admin", (c) => c.redirect("/admin/"));
  let files: MiddlewareHandler | undefined;
  app.use("/admin/*", async (c, next) => {
    if (!existsSync(`${webDist}/index.html`)) {
      return c.text("The admin console is not built yet: run `npm run build -w @users/web`, then reload.\n", 503);
    }
    files ??= serveStatic({ root: webDist, rewriteRequestPath: (path) => path.replace(/^\/admin/, "") });
    return files(c, next);
  });

  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
    server.on("clientError", answerUnreadableRequest);
  });
}
