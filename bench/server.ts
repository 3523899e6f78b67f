/**
 * The API server the benchmark measures, in its own process (so its CPU time can be read from
 * /proc/<pid>/stat): the same `serveLocally` app as `npm start`, on 127.0.0.1 and a free port.
 * Configuration comes from the environment the runner sets (DYNAMODB_ENDPOINT, TABLE_NAME,
 * TOKEN_SIGNING_KEYS, CURSOR_SECRET, BCRYPT_ROUNDS, LOGIN_MAX_FAILURES_PER_IP).
 * Prints one JSON line `{"port": n}` when it listens; SIGTERM closes it and exits normally, so a
 * `--cpu-prof` profile is written.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveLocally } from "../packages/api/src/local/server.ts";

// serveLocally serves plain HTTP/1.1, so its server is a node:http Server.
const server = (await serveLocally(0, "127.0.0.1")) as Server;
// Keep-alive connections from the load generator must not be cut between scenarios.
server.keepAliveTimeout = 60_000;
console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));

const stop = () => {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
