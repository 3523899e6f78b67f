import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "../app.ts";

/** The API on a local port, through the same app the Lambda serves. */
export function serveLocally(port: number, hostname = "0.0.0.0"): Promise<ServerType> {
  const app = createApp({ clientIp: (c) => getConnInfo(c).remote.address });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, () => resolve(server));
  });
}
