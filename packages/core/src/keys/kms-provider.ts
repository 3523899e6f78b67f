import type { KMSClient } from "@aws-sdk/client-kms";
import type { DataKeyProvider } from "./data-key-provider.ts";

const PREFIX = "kms:";

let client: KMSClient | undefined;

/**
 * One KMS client per process, made on first use, with short timeouts: a stuck call fails, not hangs.
 * The SDK is loaded then too (in the Lambda bundle it is a chunk of its own): requests that seal or open
 * nothing, such as reads, never load it.
 */
async function kms(region: string): Promise<KMSClient> {
  const { KMSClient } = await import("@aws-sdk/client-kms");
  client ??= new KMSClient({
    region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return client;
}

/**
 * Envelope encryption with AWS KMS: GenerateDataKey gives a fresh AES-256 key and its copy encrypted
 * under the KMS key; only the encrypted copy is stored, and Decrypt (with the same encryption context,
 * which CloudTrail records) gives it back.
 */
export function kmsDataKeyProvider(keyId: string, region: string, kmsClient: () => KMSClient | Promise<KMSClient> = () => kms(region)): DataKeyProvider {
  return {
    async generateDataKey(context) {
      const { GenerateDataKeyCommand } = await import("@aws-sdk/client-kms");
      const result = await (await kmsClient()).send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context }));
      if (!result.Plaintext || !result.CiphertextBlob) throw new Error("KMS returned no data key");
      return { plaintext: Buffer.from(result.Plaintext), wrapped: PREFIX + Buffer.from(result.CiphertextBlob).toString("base64") };
    },
    async unwrapDataKey(wrapped, context) {
      if (!wrapped.startsWith(PREFIX)) throw new Error("This data key was not wrapped by KMS");
      const { DecryptCommand } = await import("@aws-sdk/client-kms");
      const result = await (await kmsClient()).send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(wrapped.slice(PREFIX.length), "base64"),
          EncryptionContext: context,
        }),
      );
      if (!result.Plaintext) throw new Error("KMS returned no plaintext");
      return Buffer.from(result.Plaintext);
    },
  };
}
