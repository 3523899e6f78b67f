import { randomBytes } from "node:crypto";
import type { DataKeyProvider } from "./data-key-provider.ts";
import { open, seal } from "./sealed-box.ts";
import { canonicalContext } from "./encryption-context.ts";

const PREFIX = "local:";

/**
 * Envelope encryption without KMS: each data key is sealed under a local master key, with the
 * encryption context as associated data (so a key unwraps only in the context it was made for, as
 * with KMS).
 */
export function localDataKeyProvider(masterKey: Buffer): DataKeyProvider {
  return {
    async generateDataKey(context) {
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: PREFIX + seal(plaintext, masterKey, canonicalContext(context)) };
    },
    async unwrapDataKey(wrapped, context) {
      if (!wrapped.startsWith(PREFIX)) throw new Error("This data key was not wrapped by the local master key");
      return open(wrapped.slice(PREFIX.length), masterKey, canonicalContext(context));
    },
  };
}
