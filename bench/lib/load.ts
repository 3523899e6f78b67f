/**
 * Load generation. HTTP scenarios use autocannon (in the runner's process, never in the server's);
 * the DynamoDB floor runs the same operations through the AWS SDK in a closed loop of the same
 * concurrency. Both keep every latency (ms, float) for percentiles and count what they completed.
 */
import autocannon from "autocannon";
import { summarize, type LatencySummary } from "./stats.ts";

export interface Measured extends LatencySummary {
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  statuses: Record<string, number>;
}

export interface HttpLoad {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** autocannon's per-request hooks, for bodies that change per request (login, refresh, create). */
  requests?: {
    method?: string;
    setupRequest?: (request: any, context: any) => any;
    onResponse?: (status: number, body: string, context: any) => void;
  }[];
  /** Every HTTP request counts this many operations (a tRPC batch of 10 is 10 gets). */
  timeoutSeconds?: number;
}

export async function runHttp(base: string, load: HttpLoad, connections: number, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failed = 0;
  const started = performance.now();
  const instance = autocannon({
    url: `${base}${load.path}`,
    method: load.method ?? "GET",
    headers: load.headers,
    body: load.body,
    requests: load.requests,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: load.timeoutSeconds ?? 30,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else failed += 1;
  });
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  failed += result.errors + result.timeouts;
  return finish(latencies, failed, elapsed, statuses);
}

/** `concurrency` loops, each awaiting `op` again as soon as it finishes, for `seconds`. */
export async function runClosedLoop(op: (loop: number) => Promise<void>, concurrency: number, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: unknown;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await op(loop);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failed += 1;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (firstError) console.error(`  floor: ${failed} failed operations, first: ${(firstError as Error).message ?? firstError}`);
  return finish(latencies, failed, elapsed, {});
}

function finish(latencies: number[], failed: number, seconds: number, statuses: Record<string, number>): Measured {
  return { ok: latencies.length, failed, seconds, rps: latencies.length / seconds, statuses, ...summarize(latencies) };
}
