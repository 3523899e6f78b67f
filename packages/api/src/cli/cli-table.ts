/**
 * How the data commands (import, export, encrypt-audit) find the table, like `create-admin`: locally
 * the DynamoDB Local that `npm start` runs (DYNAMODB_ENDPOINT, default http://127.0.0.1:8000) and the
 * local master key of data keys (MASTER_KEY, else DATA_DIR/master-key, default .data/, as `npm start`); with --aws your AWS
 * credentials, the stage's table (TABLE_NAME, or the link `npx sst shell --stage <stage>` provides) and
 * its KMS key (KMS_KEY_ID, or the link).
 */
export async function useTable(aws: boolean): Promise<void> {
  // The SDK warns that its releases after January 2027 need Node 22; the lockfile pins today's.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  if (aws) {
    const { sstLinkedValue } = await import("@users/core/config");
    if (!process.env.TABLE_NAME && !sstLinkedValue("Table", "name")) {
      throw new Error("--aws needs the stage's table: run it under `npx sst shell --stage <stage>`, or set TABLE_NAME.");
    }
    process.env.KMS_KEY_ID ||= sstLinkedValue("DataKey", "arn") ?? "";
    if (!process.env.KMS_KEY_ID) throw new Error("--aws needs the stage's KMS key: run it under `npx sst shell`, or set KMS_KEY_ID.");
  } else {
    process.env.DYNAMODB_ENDPOINT ||= "http://127.0.0.1:8000";
    process.env.DATA_DIR ||= ".data";
    if (!process.env.MASTER_KEY && !process.env.KMS_KEY_ID) {
      const { localMasterKey } = await import("../local/master-key.ts");
      const { resolve } = await import("node:path");
      process.env.MASTER_KEY = localMasterKey(resolve(process.env.DATA_DIR, "master-key"));
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
