import { randomBytes } from "node:crypto";
import type { DataKeyProvider } from "./data-key-provider.ts";
import { readKeysConfig } from "./keys.config.ts";
import { kmsDataKeyProvider } from "./kms-provider.ts";
import { localDataKeyProvider } from "./local-provider.ts";

export type { DataKeyProvider } from "./data-key-provider.ts";
export { seal, open } from "./sealed-box.ts";
export { readKeysConfig, type KeysConfig } from "./keys.config.ts";

let provider: DataKeyProvider | undefined;

/** The process's data-key provider, chosen from configuration on first use (KMS deployed, local otherwise). */
export function dataKeyProvider(): DataKeyProvider {
  if (!provider) {
    const keys = readKeysConfig();
    provider =
      keys.provider === "kms"
        ? kmsDataKeyProvider(keys.keyId, keys.region)
        : localDataKeyProvider(keys.masterKey ?? randomBytes(32));
  }
  return provider;
}

/** A new local master key (base64), for `npm start`'s first run. */
export const generateMasterKey = () => randomBytes(32).toString("base64");
