import { readFileSync } from "node:fs";
import { avatarEnvironment, avatars } from "./avatars";
import { nodeBundle, nodeEnvironment, nodeFunction } from "./bundling";
import { dataKey } from "./keys";
import { handlers } from "./handlers";
import { cursorSecret, tokenSigningKey } from "./secrets";
import { accountEnvironment, stageSettings } from "./stage";
import { table } from "./storage";

const settings = stageSettings($app.stage, process.env);

/** The docs page reads swagger-ui-dist's files from disk at runtime, so it ships as a package. */
const apiPackage = JSON.parse(readFileSync("packages/api/package.json", "utf8")) as {
  dependencies: Record<string, string>;
};
const swaggerUiDist = apiPackage.dependencies["swagger-ui-dist"];
if (!swaggerUiDist) throw new Error("packages/api/package.json no longer depends on swagger-ui-dist");

/** Seed figures for the stage's default route throttling; raise them with the account's quota. */
export const throttling = { rateLimit: 1_000, burstLimit: 2_000 };

/**
 * One function serves every route (one warm pool, one cold start to pay for, not one per route).
 */
export const apiFunction = new sst.aws.Function("Api", {
  ...nodeFunction,
  handler: handlers.api,
  // Password hashing (bcryptjs, pure JS, cost 12) is the heaviest work and is CPU-bound; Lambda's CPU
  // share grows with memory, and 1024 MB (~0.6 vCPU) keeps a hash near half a second. Everything
  // else is a few DynamoDB calls. Billing is per millisecond, so an idle API costs nothing.
  memory: "1024 MB",
  // Requests take milliseconds to a second; 10 s bounds a stuck call well inside API Gateway's 30 s
  // integration limit, so the caller gets the API's own error rather than a gateway timeout.
  timeout: "10 seconds",
  nodejs: { ...nodeBundle, install: { "swagger-ui-dist": swaggerUiDist } },
  logging: { retention: "1 month", format: "json" },
  // Account mail: product name and where links point (infra/stage.ts); the avatars bucket's public URL;
  // the browser origins the API itself answers for (CORS_ORIGINS, as the gateway's CORS below);
  // secrets at rest (TOTP secrets) are sealed under data keys from the KMS key, and only it.
  environment: {
    ...nodeEnvironment,
    ...accountEnvironment(process.env),
    ...avatarEnvironment,
    CORS_ORIGINS: settings.corsOrigins.join(","),
    KMS_KEY_ID: dataKey.arn,
  },
  // Audit events reach the bus through the table's stream and the relay, so the API needs no bus.
  // The avatars bucket: the API signs upload forms for it and deletes removed avatars.
  link: [table, tokenSigningKey, cursorSecret, avatars],
  permissions: [{ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [dataKey.arn] }],
});

/** The HTTP API (API Gateway v2) in front of the function. */
export const api = new sst.aws.ApiGatewayV2("HttpApi", {
  cors:
    settings.corsOrigins.length === 0
      ? false
      : {
          allowOrigins: settings.corsOrigins,
          allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
          allowHeaders: ["authorization", "content-type", "if-match", "idempotency-key", "x-request-id"],
          exposeHeaders: ["etag", "location", "retry-after", "x-request-id"],
          maxAge: "1 day",
        },
  accessLog: { retention: "1 month" },
  ...(settings.domain ? { domain: settings.domain } : {}),
  transform: {
    stage: (args) => {
      args.defaultRouteSettings = {
        ...(args.defaultRouteSettings as object | undefined),
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
      };
    },
  },
});

/** Every route the app answers (packages/api/src/app.ts); anything else is API Gateway's 404. */
export const apiRoutes = [
  "ANY /trpc/{proxy+}",
  "ANY /v1/{proxy+}",
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/{proxy+}",
  "GET /health",
  "GET /ready",
  "GET /.well-known/jwks.json",
] as const;

for (const route of apiRoutes) api.route(route, apiFunction.arn);
