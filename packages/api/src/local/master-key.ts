import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generateMasterKey } from "@users/core/keys/index";

/**
 * The local master key that wraps data keys (TOTP secrets at rest) where there is no KMS: generated on
 * the first `npm start` into the data folder (owner-only), so sealed secrets survive restarts; with no
 * data folder, a key for this run only.
 */
export function localMasterKey(file: string | null): string {
  if (file && existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = generateMasterKey();
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return key;
}
