/**
 * Configuration read once from the environment. The same module serves the Lambda, the local server,
 * the command-line tools and the tests; in AWS the values are set by the SST stack.
 */
function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
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
  /** Key that signs pagination cursors so a tampered one is refused. */
  cursorSecret: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    tableName: env.TABLE_NAME || "users-service",
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    bcryptRounds: integer("BCRYPT_ROUNDS", 12, 4, 15),
    cursorSecret: env.CURSOR_SECRET || "users-service-local-cursor-key",
  };
}

let current: Config | undefined;

/** The process-wide configuration, read on first use. */
export function config(): Config {
  current ??= readConfig();
  return current;
}
