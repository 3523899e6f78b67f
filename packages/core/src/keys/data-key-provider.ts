import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { config, sstLinkedValue } from "../config.ts";
import { traced } from "../observability/tracer.ts";
import { open, seal } from "./seal.ts";

/**
 * Envelope encryption: a fresh 256-bit data key per owner (a user), kept only wrapped (encrypted by a
 * master key). `context` is bound to the wrapped key (KMS encryption context / AES-GCM aad), so a
 * wrapped key unwraps only for the owner it was made for.
 */
export interface DataKeyProvider {
  generateDataKey(context: Record<string, string>): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrapDataKey(wrapped: string, context: Record<string, string>): Promise<Buffer>;
}

/** KMS: GenerateDataKey / Decrypt under the key KMS_KEY_ID names. */
export function kmsDataKeyProvider(keyId: string, client?: KMSClient): DataKeyProvider {
  const kms = client ?? traced(new KMSClient({ region: config().region }));
  return {
    async generateDataKey(context) {
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context }));
      return { plaintext: Buffer.from(out.Plaintext!), wrapped: Buffer.from(out.CiphertextBlob!).toString("base64") };
    },
    async unwrapDataKey(wrapped, context) {
      const out = await kms.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(wrapped, "base64"), EncryptionContext: context }),
      );
      return Buffer.from(out.Plaintext!);
    },
  };
}

/** The context as a canonical string (sorted keys), the aad of a locally wrapped key. */
const contextAad = (context: Record<string, string>) =>
  JSON.stringify(Object.keys(context).sort().map((key) => [key, context[key]]));

/** A master key held by this process (a file under DATA_DIR, or memory): for local runs and tests. */
export function localDataKeyProvider(masterKey: Buffer): DataKeyProvider {
  return {
    async generateDataKey(context) {
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: `local:${seal(plaintext, masterKey, contextAad(context))}` };
    },
    async unwrapDataKey(wrapped, context) {
      if (!wrapped.startsWith("local:")) throw new Error("This data key was not wrapped by the local master key");
      return open(wrapped.slice("local:".length), masterKey, contextAad(context));
    },
  };
}

/** `$DATA_DIR/master-key`, made on first use; without DATA_DIR a key that lives as long as the process. */
function localMasterKey(): Buffer {
  const dir = process.env.DATA_DIR;
  if (!dir) return randomBytes(32);
  const file = join(dir, "master-key");
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, key.toString("base64"), { flag: "wx", mode: 0o600 });
    return key;
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
    throw error;
  }
}

let provider: DataKeyProvider | undefined;

/** KMS when KMS_KEY_ID is set (or a `DataKeys` key is linked by SST), else the local master key. Bound on first use. */
export function dataKeyProvider(): DataKeyProvider {
  if (!provider) {
    const keyId = process.env.KMS_KEY_ID || sstLinkedValue("DataKeys", "id");
    provider = keyId ? kmsDataKeyProvider(keyId) : localDataKeyProvider(localMasterKey());
  }
  return provider;
}
