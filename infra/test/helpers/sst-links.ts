import { createCipheriv, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What SST gives a deployed function for its links: the linked resources' properties as JSON,
 * encrypted (AES-256-GCM, zero nonce, tag appended) in `resource.enc` beside the bundle, the key in
 * SST_KEY, and the app in SST_RESOURCE_App. `sst/resource` in the bundle decrypts it on first use
 * (node_modules/sst/dist/resource/node.js), so a bundle check with these variables reads table names
 * and secrets the way the function will in AWS, not through TABLE_NAME-style test variables.
 */
export function writeSstLinks(
  outDir: string,
  resources: Record<string, Record<string, string>>,
  app = { name: "users-service", stage: "ci" },
): Record<string, string> {
  const key = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(12, 0));
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(resources)), cipher.final(), cipher.getAuthTag()]);
  writeFileSync(join(outDir, "resource.enc"), encrypted);
  return {
    SST_RESOURCE_App: JSON.stringify(app),
    SST_KEY: key.toString("base64"),
    // Relative, as SST sets it: resolved against the working directory, the bundle's (/var/task).
    SST_KEY_FILE: "resource.enc",
  };
}
