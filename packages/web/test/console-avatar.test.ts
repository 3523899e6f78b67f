/**
 * The console's picture section in a real browser: an admin picks a PNG for a user, sees the preview
 * and the upload's progress (the upload is throttled so it shows), the browser POSTs it to the local S3
 * with the form the API signed, the processor turns it into a 256×256 WebP, and the page shows it,
 * loaded by the browser from the local S3. Then the picture is removed. Chromium as in console.test.ts:
 * the one @sparticuz/chromium ships inside its npm tarball, or CHROMIUM_PATH.
 */
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User, withContext } from "@users/core";
import { seedUser } from "../../api/test/helpers/api-server.ts";
import { startLocalAvatarUploads, type LocalAvatarUploads } from "../../api/src/local/avatar-uploads.ts";
import { serveLocally } from "../../api/src/local/server.ts";
import { buildConsoleIfStale, launchChromium } from "./helpers/console-browser.ts";

const repoRoot = resolve(import.meta.dirname, "../../..");

let base = "";
let closeServer: () => Promise<void> = async () => {};
let uploads: LocalAvatarUploads;
let browser: Browser;
let admin: Awaited<ReturnType<typeof seedUser>>;
let customer: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  buildConsoleIfStale();
  uploads = await startLocalAvatarUploads({ port: 0, directory: null, bucket: "console-avatars" });
  const server = await serveLocally(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((done) => server.close(() => done()));
  admin = await seedUser({ roles: ["admin"] });
  customer = await seedUser();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer();
  await uploads?.stop();
});

async function signIn(page: Page) {
  await page.goto(`${base}/admin/`);
  await page.getByLabel("Email", { exact: true }).fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
}

const stored = () => withContext({ actor: { kind: "system", name: "console-test" } }, () => User.get({ userId: customer.user.userId }));

describe("the console's picture section", () => {
  it("uploads a picture with preview and progress, shows the processed WebP, and removes it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${base}/admin/#/users/${customer.user.userId}`);
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Picture" }) });
    await section.getByText("No picture.").waitFor();
    // The page's first loads (the user, the signed-in user, the audit trail) may still be landing on a
    // loaded machine; one that lands late remounts the sections and would drop a chosen file.
    await page.waitForLoadState("networkidle");

    // Another type is refused before anything is sent.
    await section.getByTestId("avatar-file").setInputFiles({ name: "a.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
    await section.getByText("Choose a PNG, JPEG or WebP picture.").waitFor();

    // Noise keeps the PNG large (about 600 KiB), so the throttled upload takes a few seconds.
    const png = await sharp({ create: { width: 500, height: 400, channels: 3, background: "#369", noise: { type: "gaussian", mean: 120, sigma: 50 } } })
      .png()
      .toBuffer();
    await section.getByTestId("avatar-file").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    await section.getByTestId("avatar-preview").waitFor();
    expect(await section.getByTestId("avatar-preview").evaluate((img: HTMLImageElement) => img.src.startsWith("blob:"))).toBe(true);

    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 250 * 1024 });
    await section.getByRole("button", { name: "Upload picture" }).click();
    const progress = section.getByTestId("avatar-progress");
    await progress.waitFor();
    await expect.poll(async () => Number(await progress.getAttribute("value")), { timeout: 20_000 }).toBeGreaterThan(0);

    const avatar = section.getByTestId("avatar");
    await avatar.waitFor({ timeout: 20_000 });
    const user = await stored();
    expect(user.avatarUrl).toMatch(new RegExp(`^${uploads.s3.endpoint}/console-avatars/avatars/${customer.user.userId}/.+\\.webp$`));
    expect(await avatar.getAttribute("src")).toBe(user.avatarUrl);
    // The browser itself loaded the WebP from the local S3: 256×256.
    await expect
      .poll(() => avatar.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : null)))
      .toEqual([256, 256]);
    await section.getByTestId("avatar-preview").waitFor({ state: "detached" });
    await page.screenshot({ path: join(repoRoot, "screenshots", "console-avatar.png"), fullPage: true }).catch(() => undefined);

    await section.getByRole("button", { name: "Remove picture" }).click();
    await section.getByText("No picture.").waitFor();
    expect((await stored()).avatarUrl).toBeNull();
    await context.close();
    // Sign-in, a throttled upload, processing and two page loads: minutes on a loaded CI machine.
  }, 120_000);
});
