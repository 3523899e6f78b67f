import { getConnInfo, handle } from "hono/aws-lambda";
import { createApp } from "./app.ts";

const app = createApp({ clientIp: (c) => getConnInfo(c as never).remote.address });

/** API Gateway (HTTP API, payload v2) entry point for the whole API. */
export const handler = handle(app);
