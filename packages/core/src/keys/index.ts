import { randomBytes } from "node:crypto";

export type { DataKeyProvider } from "./data-key-provider.ts";
export { seal, open } from "./sealed-box.ts";
export { readKeysConfig, type KeysConfig } from "./keys.config.ts";
export { configureKeys, dataKeyProvider } from "./configured-provider.ts";
export { newUserDataKey, rememberUserDataKey, userDataKey, forgetUserDataKey, dataKeyRemovalStep } from "./user-data-key.ts";

/** A new local master key (base64), for `npm start`'s first run. */
export const generateMasterKey = () => randomBytes(32).toString("base64");
