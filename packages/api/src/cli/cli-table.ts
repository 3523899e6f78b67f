import { resolve } from "node:path";
import { config, configure, configureKeys, readKeysConfig } from "@users/core";
import { sstLinkedValue } from "@users/core/config";
import { localMasterKey } from "../local/master-key.ts";

/**
 * How the commands (create-admin, import, export, encrypt-audit) find the table: locally
 * the DynamoDB Local that `npm start` runs (DYNAMODB_ENDPOINT, default http://127.0.0.1:8000) and the
 * local master key of data keys (MASTER_KEY, else DATA_DIR/master-key, default .data/, as `npm start`); with --aws your AWS
 * credentials, the stage's table (TABLE_NAME, or the link `npx sst shell --stage <stage>` provides) and
 * its KMS key (KMS_KEY_ID, or the link).
 */
export function useTable(aws: boolean): void {
  // The SDK warns that its releases after January 2027 need Node 22; the lockfile pins today's.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  if (aws) {
    if (!process.env.TABLE_NAME && !sstLinkedValue("Table", "name")) {
      throw new Error("--aws needs the stage's table: run it under `npx sst shell --stage <stage>`, or set TABLE_NAME.");
    }
    if (readKeysConfig().provider !== "kms") throw new Error("--aws needs the stage's KMS key: run it under `npx sst shell`, or set KMS_KEY_ID.");
  } else {
    // The DynamoDB Local that `npm start` runs, on its port.
    if (!config().dynamoEndpoint) configure({ dynamoEndpoint: `http://127.0.0.1:${process.env.DYNAMODB_PORT || 8000}` });
    const keys = readKeysConfig();
    if (keys.provider === "local" && !keys.masterKey) {
      const masterKey = localMasterKey(resolve(process.env.DATA_DIR || ".data", "master-key"));
      configureKeys({ provider: "local", masterKey: Buffer.from(masterKey, "base64") });
    }
  }
}

/** `1:05:09` or `4:07`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
