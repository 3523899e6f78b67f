/** The smallest API Gateway v2 handler: what a cold start costs before any of our code. */
export async function handler(event: { rawPath?: string }) {
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", path: event.rawPath }) };
}
