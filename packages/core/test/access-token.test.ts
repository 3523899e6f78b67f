import { SignJWT, importJWK, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { configure } from "../src/config.ts";
import { generateSigningJwk, publicJwks } from "../src/token-signing/index.ts";
import { issueAccessToken, verifyAccessToken } from "../src/access/access-token.ts";

let current: JWK;
let previous: JWK;
beforeAll(async () => {
  // Rotation: the new key first (it signs), the previous one after it (still verifies).
  [current, previous] = [await generateSigningJwk(), await generateSigningJwk()];
  configure({ signingKeys: JSON.stringify([current, previous]) });
});

describe("signing keys and rotation", () => {
  it("publishes every key's public half, and signs with the first", async () => {
    const { keys } = await publicJwks();
    expect(keys.map((k) => k.kid)).toEqual([current.kid, previous.kid]);
    expect(keys.every((k) => k.d === undefined && k.alg === "EdDSA")).toBe(true);
    const token = await issueAccessToken({ sub: "u1", sid: "s1", roles: ["customer"] });
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid).toBe(current.kid);
    await expect(verifyAccessToken(token)).resolves.toEqual({ sub: "u1", sid: "s1", roles: ["customer"] });
  });

  it("still accepts a token signed by the previous key, named by its kid", async () => {
    const key = await importJWK(previous, "EdDSA");
    const token = await new SignJWT({ sid: "s2", roles: ["admin"] })
      .setProtectedHeader({ alg: "EdDSA", kid: previous.kid! })
      .setSubject("u2")
      .setIssuer("users-service")
      .setAudience("users-service-api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j")
      .sign(key);
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ sub: "u2", roles: ["admin"] });
  });

  it("refuses a token whose kid names no published key", async () => {
    const stranger = await generateSigningJwk();
    const token = await new SignJWT({ sid: "s3", roles: [] })
      .setProtectedHeader({ alg: "EdDSA", kid: stranger.kid! })
      .setSubject("u3")
      .setIssuer("users-service")
      .setAudience("users-service-api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("j")
      .sign(await importJWK(stranger, "EdDSA"));
    await expect(verifyAccessToken(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
