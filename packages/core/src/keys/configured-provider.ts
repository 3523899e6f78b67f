import { randomBytes } from "node:crypto";
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

/** The process's data-key provider, chosen from configuration on first use (KMS deployed, local otherwise). */
export function dataKeyProvider(): DataKeyProvider {
  if (!provider) {
    const keys = configured ?? readKeysConfig();
    provider =
      keys.provider === "kms"
        ? kmsDataKeyProvider(keys.keyId, keys.region)
        : localDataKeyProvider(keys.masterKey ?? randomBytes(32));
  }
  return provider;
}
