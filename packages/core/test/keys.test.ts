import { randomBytes } from "node:crypto";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it, vi } from "vitest";
import { open, readKeysConfig, seal } from "../src/keys/index.ts";
import { kmsDataKeyProvider } from "../src/keys/kms-provider.ts";
import { localDataKeyProvider } from "../src/keys/local-provider.ts";

const noLinks = () => undefined;

describe("seal / open (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("round-trips strings and bytes, with a fresh IV each time", () => {
    const a = seal("JBSWY3DPEHPK3PXP", key, "mfa-totp:u1");
    expect(open(a, key, "mfa-totp:u1").toString()).toBe("JBSWY3DPEHPK3PXP");
    expect(seal("same", key)).not.toBe(seal("same", key));
    const bytes = randomBytes(40);
    expect(open(seal(bytes, key), key).equals(bytes)).toBe(true);
  });

  it("refuses another key, other associated data, or a changed box", () => {
    const box = seal("secret", key, "mfa-totp:u1");
    expect(() => open(box, randomBytes(32), "mfa-totp:u1")).toThrow();
    expect(() => open(box, key, "mfa-totp:u2")).toThrow();
    expect(() => open(box, key)).toThrow();
    const [v, iv, body, tag] = box.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(() => open([v, iv, flipped.toString("base64url"), tag].join("."), key, "mfa-totp:u1")).toThrow();
    expect(() => open("not a box", key)).toThrow();
    expect(() => seal("x", randomBytes(16))).toThrow();
  });
});

describe("local data keys", () => {
  it("unwraps a key only with its master key and its context", async () => {
    const master = randomBytes(32);
    const provider = localDataKeyProvider(master);
    const { plaintext, wrapped } = await provider.generateDataKey({ userId: "u1", purpose: "mfa" });
    expect(plaintext).toHaveLength(32);
    expect(wrapped.startsWith("local:")).toBe(true);
    expect(wrapped).not.toContain(plaintext.toString("base64url"));
    expect((await provider.unwrapDataKey(wrapped, { purpose: "mfa", userId: "u1" })).equals(plaintext)).toBe(true);
    await expect(provider.unwrapDataKey(wrapped, { userId: "u2", purpose: "mfa" })).rejects.toThrow();
    await expect(localDataKeyProvider(randomBytes(32)).unwrapDataKey(wrapped, { userId: "u1", purpose: "mfa" })).rejects.toThrow();
    await expect(provider.unwrapDataKey("kms:AAAA", { userId: "u1" })).rejects.toThrow(/not wrapped by the local/);
  });
});

describe("KMS data keys", () => {
  it("asks KMS for an AES-256 key and decrypts with the same key id and encryption context", async () => {
    const kms = mockClient(KMSClient);
    const plaintext = randomBytes(32);
    const blob = randomBytes(64);
    kms.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintext, CiphertextBlob: blob });
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext });
    const provider = kmsDataKeyProvider("arn:aws:kms:eu-west-1:123456789012:key/k1", "eu-west-1", () => new KMSClient({}));
    const context = { userId: "u1", purpose: "mfa-totp" };

    const generated = await provider.generateDataKey(context);
    expect(generated.plaintext.equals(plaintext)).toBe(true);
    expect(generated.wrapped).toBe(`kms:${blob.toString("base64")}`);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: "arn:aws:kms:eu-west-1:123456789012:key/k1",
      KeySpec: "AES_256",
      EncryptionContext: context,
    });

    expect((await provider.unwrapDataKey(generated.wrapped, context)).equals(plaintext)).toBe(true);
    const decrypt = kms.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(decrypt.EncryptionContext).toEqual(context);
    expect(Buffer.from(decrypt.CiphertextBlob!).equals(blob)).toBe(true);
    await expect(provider.unwrapDataKey("local:v1.a.b.c", context)).rejects.toThrow(/not wrapped by KMS/);
    kms.restore();
  });
});

describe("choosing the provider", () => {
  it("KMS when a key id is configured or linked; else the local master key; never none in Lambda", () => {
    expect(readKeysConfig({ KMS_KEY_ID: "alias/users", AWS_REGION: "eu-west-1" }, noLinks)).toEqual({ provider: "kms", keyId: "alias/users", region: "eu-west-1" });
    expect(readKeysConfig({}, (resource, property) => (resource === "DataKey" && property === "arn" ? "arn:k" : undefined))).toMatchObject({ provider: "kms", keyId: "arn:k" });
    const master = randomBytes(32);
    const local = readKeysConfig({ MASTER_KEY: master.toString("base64") }, noLinks);
    expect(local.provider === "local" && local.masterKey?.equals(master)).toBe(true);
    expect(() => readKeysConfig({ MASTER_KEY: "c2hvcnQ=" }, noLinks)).toThrow(/32 bytes/);
    expect(readKeysConfig({}, noLinks)).toEqual({ provider: "local", masterKey: null });
    expect(() => readKeysConfig({ AWS_LAMBDA_FUNCTION_NAME: "api" }, noLinks)).toThrow(/No KMS key/);
  });

  it("refuses to make up a master key when none is configured, and uses the one configured", async () => {
    vi.resetModules();
    vi.stubEnv("MASTER_KEY", "");
    try {
      const fresh = await import("../src/keys/configured-provider.ts");
      expect(() => fresh.dataKeyProvider()).toThrow(/No key for data keys/);
      const master = randomBytes(32);
      fresh.configureKeys({ provider: "local", masterKey: master });
      const context = { purpose: "test" };
      const generated = await fresh.dataKeyProvider().generateDataKey(context);
      const again = await localDataKeyProvider(master).unwrapDataKey(generated.wrapped, context);
      expect(again.equals(generated.plaintext)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
