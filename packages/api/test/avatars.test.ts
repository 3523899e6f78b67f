/**
 * Avatars end to end, as a browser does it: ask the API for an upload form, POST the real bytes to the
 * local S3 (s3rver behind the POST-policy gate), and let the processor (the Lambda's own handler, fed
 * the local S3's notifications) set the user's avatarUrl; then GET that URL like any visitor.
 */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { MAX_INPUT_PIXELS } from "@users/core/user/avatar-image";
import type { AvatarOutcome } from "@users/core/user/avatar-processing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAvatarUploads, type LocalAvatarUploads } from "../src/local/avatar-uploads.ts";
import { useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();
let uploads: LocalAvatarUploads;
const outcomes: AvatarOutcome[] = [];

beforeAll(async () => {
  uploads = await startLocalAvatarUploads({ port: 0, directory: null, bucket: "avatars-test" });
  uploads.onOutcome((outcome) => outcomes.push(outcome));
});
afterAll(() => uploads?.stop());

type Form = { url: string; fields: Record<string, string>; expiresAt: string };

/** The browser's form POST: every field, then `file`. */
async function postForm(form: Form, bytes: Uint8Array, type: string, fields: Record<string, string> = form.fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append("file", new Blob([new Uint8Array(bytes)], { type }), "picture");
  const response = await fetch(form.url, { method: "POST", body });
  return { status: response.status, text: await response.text() };
}

/** Resolves with the processor's outcome for the upload at `key`. */
async function outcomeFor(key: string, ms = 10_000): Promise<AvatarOutcome> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = outcomes.find((o) => ("key" in o ? o.key === key : false) || ("avatarUrl" in o && o.userId === key.split("/")[1]));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no processing outcome for ${key}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The user as stored now, to compare with after an upload (signing in sets lastLoginAt but not `version`). */
async function current(userId: string, token: string) {
  return (await api.request("GET", `/v1/users/${userId}`, { token })).body;
}

async function requestForm(userId: string, token: string, contentType: string, size: number) {
  return api.request("POST", `/v1/users/${userId}/avatar`, { body: { contentType, size }, token });
}

/** Polls the user until `check` holds (the contract: within 10 s of the upload). */
async function userWhen(userId: string, token: string, check: (user: any) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await api.request("GET", `/v1/users/${userId}`, { token });
    if (check(body)) return body;
    if (Date.now() > deadline) throw new Error(`user ${userId} never matched: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectWebpAvatar(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("image/webp");
  const bytes = Buffer.from(await response.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
}

const png = () =>
  sharp({ create: { width: 640, height: 400, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
/** A photo-like JPEG carrying EXIF (camera fields) that must not survive. */
const jpeg = () =>
  sharp({ create: { width: 1200, height: 1600, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: "TestCam", Model: "X1", Copyright: "someone" } })
    .toBuffer();

/**
 * A decompression bomb: a valid PNG of side×side black pixels (8000×8000 = 64 megapixels, over
 * MAX_INPUT_PIXELS) in a few KB, since rows of 1-bit zeros deflate to almost nothing. Without the pixel
 * limit it decodes like any other PNG.
 */
function pixelBombPng(side = 8000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const framed = Buffer.alloc(typed.length + 8);
    framed.writeUInt32BE(data.length, 0);
    typed.copy(framed, 4);
    framed.writeUInt32BE(crc32(typed), typed.length + 4);
    return framed;
  };
  const header = Buffer.alloc(13); // bit depth 1, grayscale; compression, filter and interlace 0
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1;
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * side); // each row: filter byte 0, then packed bits
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

describe("uploading an avatar", () => {
  it("a real PNG, then a real JPEG, through the presigned POST: the user gets a 256×256 WebP each time", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);

    const pngBytes = await png();
    const first = await requestForm(ada.userId, ada.token, "image/png", pngBytes.length);
    expect(first.status).toBe(200);
    expect(first.body.fields.key).toMatch(new RegExp(`^uploads/${ada.userId}/`));
    expect(Date.parse(first.body.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(first.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect((await postForm(first.body, pngBytes, "image/png")).status).toBe(204);
    const afterPng = await userWhen(ada.userId, ada.token, (u) => u.avatarUrl !== null);
    expect(afterPng.version).toBe(before.version + 1);
    await expectWebpAvatar(afterPng.avatarUrl);

    const jpegBytes = await jpeg();
    expect((await sharp(jpegBytes).metadata()).exif).toBeDefined();
    const second = await requestForm(ada.userId, ada.token, "image/jpeg", jpegBytes.length);
    expect((await postForm(second.body, jpegBytes, "image/jpeg")).status).toBe(204);
    const afterJpeg = await userWhen(ada.userId, ada.token, (u) => u.avatarUrl !== afterPng.avatarUrl);
    expect(afterJpeg.version).toBe(afterPng.version + 1);
    await expectWebpAvatar(afterJpeg.avatarUrl);
    // The replaced picture is deleted; the raw uploads are gone.
    expect((await fetch(afterPng.avatarUrl)).status).toBe(404);
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${first.body.fields.key}`)).status).toBe(404);

    const audit = await api.request("GET", `/v1/users/${ada.userId}/audit`, { token: ada.token });
    const changed = audit.body.items.filter((e: any) => e.type === "user.avatar_changed");
    expect(changed).toHaveLength(2);
    expect(changed[0]).toMatchObject({
      actor: { kind: "system", name: "avatar-processor" },
      changes: { avatarUrl: { from: afterPng.avatarUrl, to: afterJpeg.avatarUrl } },
    });
  });

  it("an admin may ask for a form for another user", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const res = await requestForm(ada.userId, api.adminToken!, "image/webp", 1000);
    expect(res.status).toBe(200);
    expect(res.body.fields.key).toMatch(new RegExp(`^uploads/${ada.userId}/`));
    // A form is not a change: the user stays as they were until an upload is processed.
    expect(await current(ada.userId, ada.token)).toMatchObject({ avatarUrl: null, version: before.version });
  });
});

describe("refused uploads change nothing", () => {
  it("a type other than PNG, JPEG or WebP is refused by the API; another type in the form is refused by S3", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const gif = await requestForm(ada.userId, ada.token, "image/gif", 100);
    expect(gif.status).toBe(400);
    expect(gif.body.code).toBe("VALIDATION_FAILED");
    expect(gif.body.issues.map((i: any) => i.path)).toEqual(["contentType"]);

    const bytes = await png();
    const form = (await requestForm(ada.userId, ada.token, "image/png", bytes.length)).body as Form;
    const tampered = await postForm(form, bytes, "image/svg+xml", { ...form.fields, "Content-Type": "image/svg+xml" });
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain("AccessDenied");
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${form.fields.key}`)).status).toBe(404);
    expect(await current(ada.userId, ada.token)).toMatchObject({ avatarUrl: null, version: before.version });
  });

  it("a decompression bomb (a small PNG that declares more than MAX_INPUT_PIXELS) is refused and deleted", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const bomb = pixelBombPng();
    const declared = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect(declared).toMatchObject({ format: "png", width: 8000, height: 8000 });
    expect(declared.width! * declared.height!).toBeGreaterThan(MAX_INPUT_PIXELS);
    expect(bomb.length).toBeLessThan(64 * 1024);
    // Only the limit refuses it: without one, it decodes.
    await expect(sharp(bomb, { limitInputPixels: false, failOn: "error" }).resize(8, 8).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);

    const form = (await requestForm(ada.userId, ada.token, "image/png", bomb.length)).body as Form;
    expect((await postForm(form, bomb, "image/png")).status).toBe(204);
    expect(await outcomeFor(form.fields.key!)).toMatchObject({ outcome: "rejected", reason: "not-an-image" });
    expect(await current(ada.userId, ada.token)).toMatchObject({ avatarUrl: null, version: before.version });
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${form.fields.key}`)).status).toBe(404);
    const audit = await api.request("GET", `/v1/users/${ada.userId}/audit`, { token: ada.token });
    expect(audit.body.items.filter((e: any) => e.type.startsWith("user.avatar"))).toEqual([]);
  });

  it("PNG bytes sent on a JPEG form are not processed, and the upload is deleted", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const bytes = await png();
    const form = (await requestForm(ada.userId, ada.token, "image/jpeg", bytes.length)).body as Form;
    expect((await postForm(form, bytes, "image/jpeg")).status).toBe(204);
    expect(await outcomeFor(form.fields.key!)).toMatchObject({ outcome: "rejected", reason: "type-mismatch" });
    const user = (await api.request("GET", `/v1/users/${ada.userId}`, { token: ada.token })).body;
    expect(user).toMatchObject({ avatarUrl: null, version: before.version });
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${form.fields.key}`)).status).toBe(404);
  });

  it("too large: over 5 MiB is refused by the API, and more than declared is refused by S3", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const big = await requestForm(ada.userId, ada.token, "image/png", 5 * 1024 * 1024 + 1);
    expect(big.status).toBe(400);
    expect(big.body.issues.map((i: any) => i.path)).toEqual(["size"]);

    const bytes = await png();
    const form = (await requestForm(ada.userId, ada.token, "image/png", 100)).body as Form;
    const sent = await postForm(form, bytes, "image/png");
    expect(sent.status).toBe(400);
    expect(sent.text).toContain("EntityTooLarge");
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${form.fields.key}`)).status).toBe(404);
    const user = (await api.request("GET", `/v1/users/${ada.userId}`, { token: ada.token })).body;
    expect(user).toMatchObject({ avatarUrl: null, version: before.version });
  });

  it("bytes that are not an image change nothing and are deleted", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const text = Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".repeat(10));
    const form = (await requestForm(ada.userId, ada.token, "image/png", text.length)).body as Form;
    expect((await postForm(form, text, "image/png")).status).toBe(204);
    expect(await outcomeFor(form.fields.key!)).toMatchObject({ outcome: "rejected", reason: "not-an-image" });
    const user = (await api.request("GET", `/v1/users/${ada.userId}`, { token: ada.token })).body;
    expect(user).toMatchObject({ avatarUrl: null, version: before.version });
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${form.fields.key}`)).status).toBe(404);
    const audit = await api.request("GET", `/v1/users/${ada.userId}/audit`, { token: ada.token });
    expect(audit.body.items.filter((e: any) => e.type.startsWith("user.avatar"))).toEqual([]);
  });

  it("another user's upload: no form for someone else, and a form's key cannot be changed to their prefix", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const mallory = await api.signedInUser();
    const forbidden = await requestForm(ada.userId, mallory.token, "image/png", 100);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe("FORBIDDEN");
    const anonymous = await requestForm(ada.userId, null as unknown as string, "image/png", 100);
    expect(anonymous.status).toBe(401);

    const bytes = await png();
    const own = (await requestForm(mallory.userId, mallory.token, "image/png", bytes.length)).body as Form;
    const foreignKey = `uploads/${ada.userId}/${crypto.randomUUID()}`;
    const sent = await postForm(own, bytes, "image/png", { ...own.fields, key: foreignKey });
    expect(sent.status).toBe(403);
    expect((await fetch(`${uploads.s3.endpoint}/avatars-test/${foreignKey}`)).status).toBe(404);
    const user = (await api.request("GET", `/v1/users/${ada.userId}`, { token: ada.token })).body;
    expect(user).toMatchObject({ avatarUrl: null, version: before.version });
  });

  it("a form whose expiry is pushed back is refused (the signature covers the policy)", async () => {
    const ada = await api.signedInUser();
    const before = await current(ada.userId, ada.token);
    const bytes = await png();
    const form = (await requestForm(ada.userId, ada.token, "image/png", bytes.length)).body as Form;
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, "base64").toString());
    expect(Date.parse(policy.expiration)).toBe(Date.parse(form.expiresAt));
    // A re-signed policy is out of reach without the key, so only the signature check stands between.
    const extended = Buffer.from(JSON.stringify({ ...policy, expiration: "2099-01-01T00:00:00Z" })).toString("base64");
    expect((await postForm(form, bytes, "image/png", { ...form.fields, Policy: extended })).status).toBe(403);
    expect(await current(ada.userId, ada.token)).toMatchObject({ avatarUrl: null, version: before.version });
  });
});

describe("removing an avatar", () => {
  it("DELETE → 200 User with avatarUrl null, user.avatar_removed, the file gone; the user's own or an admin", async () => {
    const ada = await api.signedInUser();
    const mallory = await api.signedInUser();
    const bytes = await png();
    const form = (await requestForm(ada.userId, ada.token, "image/png", bytes.length)).body as Form;
    await postForm(form, bytes, "image/png");
    const withAvatar = await userWhen(ada.userId, ada.token, (u) => u.avatarUrl !== null);

    expect((await api.request("DELETE", `/v1/users/${ada.userId}/avatar`, { token: mallory.token })).status).toBe(403);
    const stale = await api.request("DELETE", `/v1/users/${ada.userId}/avatar`, { token: ada.token, headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(412);

    const removed = await api.request("DELETE", `/v1/users/${ada.userId}/avatar`, { token: ada.token });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ userId: ada.userId, avatarUrl: null, version: withAvatar.version + 1 });
    expect(removed.headers.get("etag")).toBe(`"${withAvatar.version + 1}"`);
    expect((await fetch(withAvatar.avatarUrl)).status).toBe(404);
    const audit = await api.request("GET", `/v1/users/${ada.userId}/audit`, { token: ada.token });
    expect(audit.body.items[0]).toMatchObject({
      type: "user.avatar_removed",
      changes: { avatarUrl: { from: withAvatar.avatarUrl, to: null } },
      actor: { kind: "user", userId: ada.userId },
    });

    // Nothing left to remove: unchanged, no event.
    const again = await api.request("DELETE", `/v1/users/${ada.userId}/avatar`, { token: api.adminToken });
    expect(again.body).toMatchObject({ avatarUrl: null, version: withAvatar.version + 1 });
  });
});
