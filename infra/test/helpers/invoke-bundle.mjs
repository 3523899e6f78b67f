// Runs in a fresh Node process: loads a Lambda bundle and calls its handler with the events given as
// JSON in argv[3] (API Gateway v2, DynamoDB stream, EventBridge...), one after another, the way the
// Lambda runtime would (event and context, no callback). Prints one JSON line: what the handler looks
// like and each response (`null` for a handler that returns nothing).
import { pathToFileURL } from "node:url";

const [file, exportName, eventsJson] = process.argv.slice(2);
const started = performance.now();
const loaded = await import(pathToFileURL(file).href);
const loadMs = performance.now() - started;
const handler = loaded[exportName];

const context = {
  awsRequestId: "00000000-0000-4000-8000-000000000000",
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: "1024",
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: "local",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
};

const responses = [];
for (const event of JSON.parse(eventsJson)) {
  // Two arguments only: a handler that waited for a callback would never settle here. The timer is
  // cleared once the handler settles: left pending, it kept this process alive for 15 s per check.
  let timer;
  const response = await Promise.race([
    handler(event, context),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("handler did not settle")), 15_000);
    }),
  ]).finally(() => clearTimeout(timer));
  responses.push(response ?? null);
}

console.log(
  JSON.stringify({
    handlerType: typeof handler,
    isAsync: handler?.constructor?.name === "AsyncFunction",
    parameters: handler?.length,
    callbackWaitsUntouched: context.callbackWaitsForEmptyEventLoop === true,
    loadMs: Math.round(loadMs),
    responses,
  }),
);
