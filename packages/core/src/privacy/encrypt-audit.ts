import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import { db } from "../store/service.ts";
import { config } from "../config.ts";
import { dynamo } from "../store/client.ts";
import { sealStoredAuditItem } from "./seal-legacy-events.ts";
import { userDataKey } from "../keys/index.ts";

export interface EncryptAuditProgress {
  scanned: number;
  sealed: number;
}

/**
 * Seals the personal values of audit events written before encryption existed (`npm run
 * encrypt-audit`). It scans the table for unsealed audit items once; the scan position is saved to
 * `checkpointFile` after every page, so an interrupted run resumes there. An event whose user no longer
 * exists is sealed with a key that is thrown away at once: its personal values are erased.
 */
export async function encryptAuditTrail(options: {
  checkpointFile: string;
  pageSize?: number;
  onProgress?: (progress: EncryptAuditProgress) => void;
  signal?: AbortSignal;
}): Promise<EncryptAuditProgress & { complete: boolean }> {
  const { checkpointFile } = options;
  const saved = existsSync(checkpointFile)
    ? (JSON.parse(readFileSync(checkpointFile, "utf8")) as { start: Record<string, unknown>; progress: EncryptAuditProgress })
    : null;
  const progress: EncryptAuditProgress = saved?.progress ?? { scanned: 0, sealed: 0 };
  let start = saved?.start;
  const keys = new Map<string, Buffer>();
  const keyOf = async (userId: string): Promise<Buffer> => {
    let key = keys.get(userId);
    if (!key) {
      const { data: user } = await db().user.get({ userId }).go({ attributes: ["userId"] });
      key = user ? (await userDataKey(userId, { create: true }))! : randomBytes(32);
      if (keys.size > 10_000) keys.clear();
      keys.set(userId, key);
    }
    return key;
  };
  do {
    if (options.signal?.aborted) return { ...progress, complete: false };
    const page: ScanCommandOutput = await dynamo().send(
      new ScanCommand({
        TableName: config().tableName,
        FilterExpression: "#e = :audit AND attribute_not_exists(sealed)",
        ExpressionAttributeNames: { "#e": "__edb_e__" },
        ExpressionAttributeValues: { ":audit": "auditEvent" },
        Limit: options.pageSize ?? 1000,
        ExclusiveStartKey: start,
      }),
    );
    const { data: items } = db().auditEvent.parse({ Items: page.Items ?? [] });
    for (const item of items) {
      progress.scanned += 1;
      if (await sealStoredAuditItem(item, await keyOf(item.userId))) progress.sealed += 1;
    }
    start = page.LastEvaluatedKey;
    if (start) {
      writeFileSync(`${checkpointFile}.tmp`, JSON.stringify({ start, progress }));
      renameSync(`${checkpointFile}.tmp`, checkpointFile);
    }
    options.onProgress?.(progress);
  } while (start);
  rmSync(checkpointFile, { force: true });
  return { ...progress, complete: true };
}
