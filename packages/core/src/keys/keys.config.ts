import { sstLinkedValue, type LinkedValue } from "../config.ts";

/**
 * Where data keys come from. Deployed: the stack's KMS key (`KMS_KEY_ID`, or the `DataKey` the SST stack
 * links to the API). Locally: a 32-byte master key in `MASTER_KEY` (base64), which `npm start` generates
 * once into `$DATA_DIR/master-key` (and `--in-memory` makes one for the run). Without either,
 * `masterKey` is null: whoever starts the process must `configureKeys`, or the first data key fails.
 */
export type KeysConfig =
  | { provider: "kms"; keyId: string; region: string }
  | { provider: "local"; masterKey: Buffer | null };

export function readKeysConfig(env: NodeJS.ProcessEnv = process.env, linked: LinkedValue = sstLinkedValue): KeysConfig {
  const keyId = env.KMS_KEY_ID || linked("DataKey", "arn"); // infra/api.ts sets KMS_KEY_ID
  if (keyId) return { provider: "kms", keyId, region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1" };
  if (env.MASTER_KEY) {
    const masterKey = Buffer.from(env.MASTER_KEY, "base64");
    if (masterKey.length !== 32) throw new Error("MASTER_KEY must be 32 bytes in base64");
    return { provider: "local", masterKey };
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error("No KMS key is configured (KMS_KEY_ID or the linked DataKey): secrets at rest cannot be sealed");
  }
  return { provider: "local", masterKey: null };
}
