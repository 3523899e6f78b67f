/**
 * Configuration, read from the environment on first use (never at import) or given explicitly with
 * `configure()` (tests, command-line tools, the bench). The same module serves the Lambda, the local
 * server, the CLIs and the tests. Environment variables come first; in AWS (and under `sst dev` or
 * `sst shell`) the names and secrets the SST stack links to the function fill in the rest.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { Resource } from "sst/resource";

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export interface Config {
  /** The single DynamoDB table that holds every entity. */
  tableName: string;
  /** An explicit DynamoDB endpoint (DynamoDB Local, Docker); unset in AWS. */
  dynamoEndpoint: string | undefined;
  region: string;
  /** bcrypt cost factor for password hashes. */
  bcryptRounds: number;
  /**
   * Worker threads that run bcrypt (BCRYPT_THREADS); 0 runs it on the request's own thread. Default:
   * one per CPU, but 0 in Lambda, where an instance serves one request at a time (docs/benchmark.md).
   */
  bcryptThreads: number;
  /** Key that signs pagination cursors so a tampered one is refused. */
  cursorSecret: string;
  /** The EventBridge bus audit events go to; unset locally (events go to in-process subscribers). */
  eventBusName: string | undefined;
  /** JSON: one private JWK or an array of them; the first signs, all are published in the JWKS. */
  signingKeys: string | undefined;
  tokenIssuer: string;
  tokenAudience: string;
  /** Sign-in attempts per email in 15 minutes before 429. */
  maxFailuresPerEmail: number;
  /** Failed sign-ins from one source IP, across all emails, in 15 minutes before 429. */
  maxFailuresPerIp: number;
  /** Requests admitted per window; 0 turns a limit off (docs/robustness.md). */
  rateLimits: RateLimitSettings;
  /**
   * How long one attempt of an AWS call may take (`AWS_SDK_ATTEMPT_TIMEOUT_MS`, default 5 s; see
   * aws-deadlines.ts). Longer only for batch work and tests against a slow DynamoDB Local.
   */
  awsAttemptTimeoutMs: number;
}

export interface RateLimitSettings {
  /** Every request from one source IP, per minute. */
  ipPerMinute: number;
  /** Reads (GET, tRPC queries) by one signed-in user or client, per hour. */
  userReadsPerHour: number;
  /** Writes (everything else) by one signed-in user or client, per hour. */
  userWritesPerHour: number;
}

/** A string property of a resource SST linked to this process, or undefined when there is none. */
export type LinkedValue = (resource: string, property: string) => string | undefined;

/**
 * SST's links: environment variables and, in Lambda, the encrypted resource file. `in` loads them
 * without throwing, so outside SST this simply finds nothing. Names are the components' names in
 * infra/ (`Table`, `CursorSecret`, ...).
 */
export const sstLinkedValue: LinkedValue = (resource, property) => {
  const links = Resource as unknown as Record<string, Record<string, unknown> | undefined>;
  if (!(resource in links)) return undefined;
  const value = links[resource]?.[property];
  return typeof value === "string" && value !== "" ? value : undefined;
};

/**
 * Locally a fixed key keeps cursors valid across restarts. A deployed function that was not linked to
 * CursorSecret (only the API is) must not sign with a key anyone can read here: it gets a random
 * key of its own, so its cursors simply do not survive the process.
 */
function fallbackCursorSecret(env: NodeJS.ProcessEnv): string {
  return env.AWS_LAMBDA_FUNCTION_NAME ? randomBytes(32).toString("base64url") : "users-service-local-cursor-key";
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, linked: LinkedValue = sstLinkedValue): Config {
  return {
    tableName: env.TABLE_NAME || linked("Table", "name") || "users-service",
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    bcryptRounds: integer(env, "BCRYPT_ROUNDS", 12, 4, 15),
    bcryptThreads: integer(env, "BCRYPT_THREADS", env.AWS_LAMBDA_FUNCTION_NAME ? 0 : availableParallelism(), 0, 256),
    cursorSecret: env.CURSOR_SECRET || linked("CursorSecret", "value") || fallbackCursorSecret(env),
    eventBusName: env.EVENT_BUS_NAME || linked("Bus", "name") || undefined,
    signingKeys: env.TOKEN_SIGNING_KEYS || linked("TokenSigningKey", "value"),
    tokenIssuer: env.TOKEN_ISSUER || "users-service",
    tokenAudience: env.TOKEN_AUDIENCE || "users-service-api",
    maxFailuresPerEmail: 5,
    maxFailuresPerIp: integer(env, "LOGIN_MAX_FAILURES_PER_IP", 50, 1, 1_000_000),
    rateLimits: {
      ipPerMinute: integer(env, "RATE_LIMIT_IP_PER_MINUTE", 100, 0, 1_000_000_000),
      userReadsPerHour: integer(env, "RATE_LIMIT_USER_READS_PER_HOUR", 1000, 0, 1_000_000_000),
      userWritesPerHour: integer(env, "RATE_LIMIT_USER_WRITES_PER_HOUR", 100, 0, 1_000_000_000),
    },
    awsAttemptTimeoutMs: integer(env, "AWS_SDK_ATTEMPT_TIMEOUT_MS", 5_000, 100, 600_000),
  };
}

let current: Config | undefined;

/** The process-wide configuration, read on first use. */
export function config(): Config {
  current ??= readConfig();
  return current;
}

/**
 * Sets some settings explicitly (the rest from the environment). Call it before the first use of
 * the store or the token keys: clients and keys are bound once per process.
 */
export function configure(settings: Partial<Config>): Config {
  current = { ...config(), ...settings };
  return current;
}
