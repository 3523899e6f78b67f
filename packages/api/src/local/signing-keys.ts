import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generateSigningJwk } from "@users/core/token-signing/index";

/**
 * The local token-signing key: generated on the first `npm start` and kept (owner-only) in the data
 * folder, so tokens survive restarts; with no data folder, a key for this run only.
 */
export async function localSigningKeys(file: string | null): Promise<string> {
  if (file && existsSync(file)) return readFileSync(file, "utf8");
  const keys = JSON.stringify([await generateSigningJwk()]);
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, keys, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return keys;
}
