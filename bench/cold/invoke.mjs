// Runs in a fresh Node process: imports one Lambda bundle and calls its handler once, as the runtime
// would (event, context). Prints one JSON line: import time, first-call time, and the answer.
import { pathToFileURL } from "node:url";

const [file, exportName, eventJson] = process.argv.slice(2);
const started = performance.now();
const loaded = await import(pathToFileURL(file).href);
const loadMs = performance.now() - started;
const context = {
  awsRequestId: "00000000-0000-4000-8000-000000000000",
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
};
let response;
let error;
const calledAt = performance.now();
try {
  response = await loaded[exportName](JSON.parse(eventJson), context);
} catch (e) {
  error = String(e?.message ?? e);
}
const firstCallMs = performance.now() - calledAt;
console.log(JSON.stringify({ loadMs, firstCallMs, bootMs: started, response: response ?? null, error }));
process.exit(0);
