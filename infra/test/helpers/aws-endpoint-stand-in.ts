import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request an AWS SDK client sent to the stand-in: its path, `x-amz-target` and JSON body. */
export interface RecordedCall<Body> {
  path: string | undefined;
  target: string | undefined;
  body: Body;
}

/**
 * A local HTTP server standing in for an AWS service's endpoint (EventBridge, SES): it records every
 * request and answers with what `reply` says, as JSON. Point the bundle at it with the SDK's
 * per-service endpoint variable (`AWS_ENDPOINT_URL_<SERVICE>`).
 */
export async function awsEndpointStandIn<Body>(
  reply: (call: RecordedCall<Body>, calls: RecordedCall<Body>[]) => { status?: number; contentType?: string; body: unknown },
) {
  const calls: RecordedCall<Body>[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      const call = { path: request.url, target: request.headers["x-amz-target"] as string | undefined, body: JSON.parse(text) as Body };
      calls.push(call);
      const answer = reply(call, calls);
      response.writeHead(answer.status ?? 200, { "content-type": answer.contentType ?? "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
