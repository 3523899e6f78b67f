import { SignJWT, importJWK, type JWK } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
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

/** A token as the service would sign it, but by `jwk` (any key), for `sub` with `sid` and `roles`. */
async function signedBy(jwk: JWK, claims: { sub: string; sid: string; roles: string[] }, expiresAt: string | number = "5m") {
  return new SignJWT({ sid: claims.sid, roles: claims.roles })
    .setProtectedHeader({ alg: "EdDSA", kid: jwk.kid! })
    .setSubject(claims.sub)
    .setIssuer("users-service")
    .setAudience("users-service-api")
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .setJti("j")
    .sign(await importJWK(jwk, "EdDSA"));
}

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
    const token = await signedBy(previous, { sub: "u2", sid: "s2", roles: ["admin"] });
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ sub: "u2", roles: ["admin"] });
  });

  it("refuses a token whose kid names no published key", async () => {
    const stranger = await generateSigningJwk();
    const token = await signedBy(stranger, { sub: "u3", sid: "s3", roles: [] });
    await expect(verifyAccessToken(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("verified tokens are remembered, never past their expiry", () => {
  it("answers a second use from memory, and an expired token is TOKEN_EXPIRED even after a verified use", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    const token = await signedBy(current, { sub: "u4", sid: "s4", roles: ["customer"] }, expiresAt);
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ sub: "u4" });
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ sub: "u4" });
    // Past expiry and the 30 s of clock skew: refused, as on the first use.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime((expiresAt + 31) * 1000);
      await expect(verifyAccessToken(token)).rejects.toMatchObject({ code: "TOKEN_EXPIRED" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("a token altered after a verified use is not taken for it", async () => {
    const token = await issueAccessToken({ sub: "u5", sid: "s5", roles: ["customer"] });
    await expect(verifyAccessToken(token)).resolves.toMatchObject({ sub: "u5" });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, roles: ["admin"] })).toString("base64url"), signature].join(".");
    await expect(verifyAccessToken(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
