/**
 * The local server in a process of its own, for tests that must choose its DynamoDB endpoint (a proxy)
 * before anything reads the configuration. Prints `listening <port>` once it serves.
 */
import type { AddressInfo } from "node:net";
import { serveLocally } from "../../src/local/server.ts";

const server = await serveLocally(0, "127.0.0.1");
console.log(`listening ${(server.address() as AddressInfo).port}`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
