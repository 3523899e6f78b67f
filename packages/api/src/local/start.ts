/**
 * `npm start`: DynamoDB Local (unless DYNAMODB_ENDPOINT names one), the table, and the API on
 * http://localhost:3000. Ctrl-C, or SIGTERM to npm (the script `exec`s, so the signal reaches this
 * process rather than stopping at a shell), stops all of it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

// The SDK warns that its releases after January 2027 need Node 22; the lockfile pins today's, which
// support Node 20, so the warning says nothing about this install.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// Powertools dev mode: logs indented for a terminal, metrics not emitted.
process.env.POWERTOOLS_DEV ??= "true";
import { claimPort, StartupError, startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local.ts";
import { localSigningKeys } from "./signing-keys.ts";
import { localMasterKey } from "./master-key.ts";

const usage = `Usage: npm start [-- --in-memory] [-- --api-only]

  --in-memory        keep nothing: DynamoDB Local in memory, a fresh signing key
  --api-only         do not build the admin console (/admin) if it is not built yet

Environment:
  PORT               the API's port (default 3000)
  DYNAMODB_ENDPOINT  use this DynamoDB instead of starting DynamoDB Local
  DYNAMODB_PORT      DynamoDB Local's port (default 8000)
  DATA_DIR           where DynamoDB Local keeps data, and the local master key of
                     users' data keys (default .data/)
  TABLE_NAME         the table (default users-service)
  EVENT_BUS_NAME     publish audit events to this EventBridge bus (needs AWS credentials)
                     instead of local subscribers
  TOKEN_SIGNING_KEYS private JWK set for access tokens (default: generated once into .data/)
  BCRYPT_ROUNDS      password hashing cost (default 12)
  APP_NAME           product name in outgoing mail (default "Users service")
  APP_URL            where mail links point (default http://localhost:$PORT/admin, the console)
  REQUIRE_EMAIL_VERIFICATION  true: self sign-up makes pending users, active once verified
  Outgoing mail is written to $DATA_DIR/mailbox/ (one JSON file each) and announced with its link.
  MASTER_KEY         base64 32-byte key that seals secrets at rest such as TOTP secrets
                     (default: generated once into .data/master-key; KMS_KEY_ID uses AWS KMS)
  S3_PORT            the local S3 server's port, for avatar uploads and pictures (default 4569)
  AVATAR_BUCKET      the local avatars bucket (default users-service-avatars)`;

/** The admin console is served from its build; the first start (or `npm run build:web`) makes it. */
function ensureConsoleBuilt(webDist: string): void {
  if (existsSync(resolve(webDist, "index.html"))) return;
  console.log("Admin console    building it once (npm run build:web)…");
  const build = spawnSync("npm", ["run", "--silent", "build", "-w", "@users/web"], { stdio: "inherit" });
  if (build.status !== 0) console.log("Admin console    the build failed; the API runs without it.");
}

let dynamoDb: DynamoDbLocal | undefined;
let eventRelay: { stop(): Promise<void>; description: string } | undefined;
let mailSender: { stop(): Promise<void>; description: string } | undefined;
let avatarUploads: { stop(): Promise<void> } | undefined;

async function main() {
  const { values } = parseArgs({
    options: {
      "in-memory": { type: "boolean", default: false },
      "api-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  // The local master key (MASTER_KEY below) lives there too, so sealed values (TOTP secrets, personal
  // values in audit events) stay readable across restarts and by the import/export commands.
  if (!values["in-memory"]) process.env.DATA_DIR ||= ".data";
  const port = Number(process.env.PORT || 3000);
  await claimPort(port, "the API", "set PORT to another port");

  let dynamoEndpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  if (!dynamoEndpoint) {
    const dataDir = values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data", "dynamodb");
    dynamoDb = await startDynamoDbLocal({ port: Number(process.env.DYNAMODB_PORT || 8000), dataDir });
    dynamoEndpoint = dynamoDb.endpoint;
    console.log(`DynamoDB Local   ${dynamoDb.endpoint} (${dataDir ? `data in ${dataDir}` : "in memory"})`);
  }

  // Loaded here, not at the top: Powertools reads POWERTOOLS_DEV (set above) when the core loads it.
  const { config, configure, configureKeys, ensureTable, User } = await import("@users/core");
  const { serveLocally, webDist } = await import("./server.ts");
  // What the environment does not say, the local runtime provides: DynamoDB Local's endpoint, a signing
  // key and a master key of users' data keys kept under DATA_DIR (or fresh ones with --in-memory).
  configure({
    dynamoEndpoint,
    signingKeys:
      config().signingKeys ?? (await localSigningKeys(values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data", "signing-keys.json"))),
  });
  if (!process.env.MASTER_KEY && !process.env.KMS_KEY_ID) {
    const masterKey = localMasterKey(values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data", "master-key"));
    configureKeys({ provider: "local", masterKey: Buffer.from(masterKey, "base64") });
  }
  const { tableName } = config();
  const created = await ensureTable(tableName);
  console.log(`Table            ${tableName} (${created ? "created" : "exists"}) at ${config().dynamoEndpoint}`);

  const { startLocalEventRelay } = await import("./event-relay.ts");
  eventRelay = await startLocalEventRelay({
    tableName,
    stateDir: values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data"),
  });
  console.log(`Events           ${eventRelay.description}`);

  const { startLocalMailSender } = await import("./mail-sender.ts");
  mailSender = startLocalMailSender({
    tableName,
    mailboxDir: resolve(process.env.DATA_DIR || ".data", "mailbox"),
    stateDir: values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data"),
  });
  console.log(`Mail             ${mailSender.description}`);

  const { startLocalAvatarUploads } = await import("./avatar-uploads.ts");
  const s3Port = await claimPort(Number(process.env.S3_PORT || 4569), "the local S3 server", "set S3_PORT to another port");
  const avatars = await startLocalAvatarUploads({
    port: s3Port,
    directory: values["in-memory"] ? null : resolve(process.env.DATA_DIR || ".data", "s3"),
  });
  avatarUploads = avatars;
  console.log(`Avatars          ${avatars.s3.endpoint}/${avatars.bucket}/ (local S3; uploads processed as in AWS)`);

  if (!values["api-only"]) ensureConsoleBuilt(webDist);
  const server = await serveLocally(port);
  const base = `http://localhost:${port}`;
  console.log(`REST API         ${base}/v1/users`);
  console.log(`tRPC             ${base}/trpc`);
  console.log(`API docs         ${base}/docs   (OpenAPI: ${base}/openapi.json)`);
  console.log(`Admin console    ${base}/admin/`);
  console.log(`Health           ${base}/health, ${base}/ready`);
  if (!(await User.hasActiveAdmin())) {
    console.log("\nNo admin yet. Create the first one (it asks for the password):");
    console.log(`  ${process.env.DYNAMODB_PORT ? `DYNAMODB_ENDPOINT=${config().dynamoEndpoint} ` : ""}npm run create-admin -- --email you@example.com\n`);
  }
  console.log("Press Ctrl-C to stop.");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    // Open keep-alive connections would hold close() open: end them, then wait.
    const closed = new Promise<void>((done) => server.close(() => done()));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
    await eventRelay?.stop();
    await mailSender?.stop();
    await avatarUploads?.stop();
    await dynamoDb?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch(async (error: unknown) => {
  await eventRelay?.stop().catch(() => undefined);
  await mailSender?.stop().catch(() => undefined);
  await avatarUploads?.stop().catch(() => undefined);
  await dynamoDb?.stop();
  if (error instanceof StartupError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error("Cannot start:", error);
  }
  process.exit(1);
});
