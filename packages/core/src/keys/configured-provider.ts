import type { DataKeyProvider } from "./data-key-provider.ts";
import { readKeysConfig, type KeysConfig } from "./keys.config.ts";
import { kmsDataKeyProvider } from "./kms-provider.ts";
import { localDataKeyProvider } from "./local-provider.ts";

let configured: KeysConfig | undefined;
let provider: DataKeyProvider | undefined;

/**
 * Sets where data keys come from (a command-line tool's choice), instead of the environment. Call it
 * before the first use of a data key: the provider is bound once per process.
 */
export function configureKeys(keys: KeysConfig): void {
  configured = keys;
}

/**
 * The process's data-key provider, chosen from configuration on first use (KMS deployed, local otherwise).
 * With neither configured it refuses: a key made up for the process would wrap data keys that no
 * later process could unwrap (a command that forgot `configureKeys` once made an admin who could never
 * sign in).
 */
export function dataKeyProvider(): DataKeyProvider {
  if (!provider) {
    const keys = configured ?? readKeysConfig();
    if (keys.provider === "kms") provider = kmsDataKeyProvider(keys.keyId, keys.region);
    else if (keys.masterKey) provider = localDataKeyProvider(keys.masterKey);
    else {
      throw new Error(
        "No key for data keys: set KMS_KEY_ID, or MASTER_KEY (32 bytes, base64), or call configureKeys (npm start keeps one in DATA_DIR/master-key)",
      );
    }
  }
  return provider;
}
