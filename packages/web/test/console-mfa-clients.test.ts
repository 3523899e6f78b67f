/**
 * The console's two-factor sign-in (enrollment with a QR code, the code step at sign-in) and its
 * machine-clients page, in a real Chromium: @sparticuz/chromium's binary (shipped inside its npm
 * package) driven by playwright-core, against the local server on this file's DynamoDB Local table.
 * Builds the console first when its build is missing or older than its sources.
 */
import type { AddressInfo } from "node:net";
import { Mfa } from "@users/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../api/test/helpers/api-server.ts";
import { serveLocally } from "../../api/src/local/server.ts";
import { buildConsoleIfStale, launchChromium } from "./helpers/console-browser.ts";


type Seeded = Awaited<ReturnType<typeof seedUser>>;

/** How long to wait for the page to catch up with the server (the test machine is shared and slow). */
const patience = { timeout: 20_000, interval: 200 };

let base = "";
let closeServer: () => Promise<void> = async () => {};
let browser: Browser;
/** One context for the file (it holds the clipboard permission); each sign-in starts from cleared storage. */
let context: BrowserContext;

beforeAll(async () => {
  buildConsoleIfStale();
  const server = await serveLocally(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((done) => server.close(() => done()));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer();
});

async function passwordStep(who: Seeded): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/admin/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByLabel("Email", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  return page;
}

async function tokenRequest(clientId: string, clientSecret: string) {
  const response = await fetch(`${base}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  return response.status;
}

describe("two-factor sign-in in the console", () => {
  it("enrolls with a QR code and a code, shows the recovery codes, then asks for a code at sign-in", async () => {
    const admin = await seedUser({ roles: ["admin"] });
    const page = await passwordStep(admin);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();

    await page.getByRole("link", { name: "Two-factor sign-in" }).click();
    await page.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
    expect(await page.getByTestId("mfa-status").textContent()).toMatch(/^Off/);
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.getByTestId("totp-secret").textContent())!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel("Code from the app").fill("000000" === Mfa.totpCode(secret) ? "111111" : "000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => page.getByRole("alert").textContent(), patience).toMatch(/not right/);

    await page.getByLabel("Code from the app").fill(Mfa.totpCode(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByRole("region", { name: "Recovery codes" }).locator("li");
    await expect.poll(() => codes.count(), patience).toBe(10);
    const recoveryCode = (await codes.first().textContent())!;
    expect(await page.getByTestId("mfa-status").textContent()).toMatch(/^On/);

    // A new sign-in: the password, then the code step.
    const again = await passwordStep(admin);
    await again.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
    await again.getByLabel("Authentication code").fill("abcde-fghjk");
    await again.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => again.getByRole("alert").textContent(), patience).toMatch(/not right/);
    await again.getByLabel("Authentication code").fill(Mfa.totpCode(secret, Date.now() + 30_000));
    await again.getByRole("button", { name: "Verify" }).click();
    await again.getByRole("heading", { name: "Users", exact: true }).waitFor();

    // And with a recovery code.
    const third = await passwordStep(admin);
    await third.getByLabel("Authentication code").fill(recoveryCode);
    await third.getByRole("button", { name: "Verify" }).click();
    await third.getByRole("heading", { name: "Users", exact: true }).waitFor();

    // Another admin resets it from the user's page (a lost phone).
    const other = await seedUser({ roles: ["admin"] });
    const resetter = await passwordStep(other);
    await resetter.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await resetter.goto(`${base}/admin/#/users/${admin.user.userId}`);
    await resetter.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
    await expect.poll(() => resetter.getByRole("button", { name: "Turn off two-factor sign-in" }).count(), patience).toBe(0);
    const plain = await passwordStep(admin);
    await plain.getByRole("heading", { name: "Users", exact: true }).waitFor();
  }, 180_000);
});

describe("machine clients page", () => {
  it("creates a client with its secret shown once and copyable, lists it, and revokes it", async () => {
    const admin = await seedUser({ roles: ["admin"] });
    const page = await passwordStep(admin);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await page.getByRole("link", { name: "Machine clients" }).click();
    await page.getByRole("heading", { name: "Machine clients" }).waitFor();

    await page.getByLabel("Name").fill("billing-sync");
    await page.getByRole("checkbox", { name: /users:write/ }).check();
    await page.getByRole("button", { name: "Create client" }).click();
    const credentials = page.getByRole("region", { name: "New client's credentials" });
    await credentials.waitFor();
    const clientId = (await page.getByTestId("client-id").textContent())!;
    const clientSecret = (await page.getByTestId("client-secret").textContent())!;
    await page.getByRole("button", { name: "Copy secret" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientSecret);
    expect(await tokenRequest(clientId, clientSecret)).toBe(200);

    const row = page.locator("table.clients-list tbody tr", { hasText: clientId });
    await expect.poll(() => row.count(), patience).toBe(1);
    expect(await row.textContent()).toContain("users:read, users:write");

    // Done: the secret is gone from the page and the list never shows it.
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.content()).not.toContain(clientSecret);

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: /Revoke/ }).click();
    await expect.poll(() => row.count(), patience).toBe(0);
    expect(await tokenRequest(clientId, clientSecret)).toBe(401);
  }, 120_000);

  it("is not offered to moderators, and the API refuses them", async () => {
    const moderator = await seedUser({ roles: ["moderator"] });
    const page = await passwordStep(moderator);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "Machine clients" }).count()).toBe(0);
    await page.goto(`${base}/admin/#/clients`);
    await expect.poll(() => page.getByRole("alert").getAttribute("data-code"), patience).toBe("FORBIDDEN");
  }, 120_000);
});
