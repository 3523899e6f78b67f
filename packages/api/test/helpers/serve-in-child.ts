/**
 * The local server in a process of its own, for tests that must choose its DynamoDB endpoint (a proxy)
 * before anything reads the configuration. Prints `listening <port>` once it serves.
 */
import type { AddressInfo } from "node:net";
import { serveLocally } from "../../src/local/server.ts";

// SERVE_DEADLINE_MS: a request deadline other than the service's own (to see what the SDK's timeouts do).
const deadlineMs = Number(process.env.SERVE_DEADLINE_MS) || undefined;
const server = await serveLocally(0, "127.0.0.1", deadlineMs ? { deadlineMs } : {});
console.log(`listening ${(server.address() as AddressInfo).port}`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
