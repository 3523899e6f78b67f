/**
 * The console's pages that links in mail open — verify email, reset password (from "Forgot password?"
 * on the sign-in page), accept invitation — in a real Chromium (@sparticuz/chromium's binary, shipped in
 * its npm package, driven by playwright-core) against the local server and the local mailbox. The links
 * followed are the ones in the messages: APP_URL points at this server's console.
 */
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { AppRouter } from "@users/api";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, seedUser } from "../../api/test/helpers/api-server.ts";
import { useMailbox } from "../../api/test/helpers/mailbox.ts";
import { serveLocally } from "../../api/src/local/server.ts";
import { buildConsoleIfStale, launchChromium } from "./helpers/console-browser.ts";


const mailbox = useMailbox();
let base = "";
let closeServer: () => Promise<void> = async () => {};
let browser: Browser;
let admin: Awaited<ReturnType<typeof seedUser>>;

/** The link in the next message of `kind` to `address`. */
async function linkIn(address: string, kind: "verify-email" | "password-reset" | "invitation") {
  const message = await mailbox.next(address, kind);
  const link = /https?:\/\/\S+/.exec(message.text)![0];
  expect(link.startsWith(`${base}/admin/#/`)).toBe(true);
  return link;
}

beforeAll(async () => {
  buildConsoleIfStale();
  const server = await serveLocally(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((done) => server.close(() => done()));
  // Read on the first message, so before any user exists.
  process.env.APP_URL = `${base}/admin`;
  admin = await seedUser({ roles: ["admin"] });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer();
});

const anonymous = () => createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc` })] });

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  return context.newPage();
}

describe("pages opened from mail", () => {
  it("verify email: the link confirms the address once", async () => {
    const body = newUserBody();
    await anonymous().users.create.mutate(body);
    const link = await linkIn(body.email, "verify-email");

    const page = await newPage();
    await page.goto(link);
    await page.getByRole("heading", { name: "Confirm your email address" }).waitFor();
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    await page.getByRole("status").filter({ hasText: `${body.email} is confirmed` }).waitFor();

    // The same link again: spent.
    await page.goto("about:blank");
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm my email address" }).click();
    const error = page.getByRole("alert");
    await error.waitFor();
    expect(await error.getAttribute("data-code")).toBe("INVALID_TOKEN");
    expect(await error.textContent()).toContain("already used or has expired");
  });

  it("forgot password: from the sign-in page to a new password, then sign in with it", async () => {
    const page = await newPage();
    await page.goto(`${base}/admin/`);
    await page.getByRole("heading", { name: "Sign in to the users console" }).waitFor();
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("Email").fill(admin.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await page.getByRole("status").filter({ hasText: "is on its way" }).waitFor();

    const link = await linkIn(admin.email, "password-reset");
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.locator(".field-error").waitFor(); // too short: said next to the field, token not spent
    await page.getByLabel("New password").fill("a new admin password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password is changed" }).waitFor();

    await page.getByRole("link", { name: "Go to sign-in" }).click();
    await page.getByRole("heading", { name: "Sign in to the users console" }).waitFor();
    await page.getByLabel("Email", { exact: true }).fill(admin.email);
    await page.getByLabel("Password").fill("a new admin password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    admin.password = "a new admin password";
  });

  it("accept invitation: an invited moderator chooses a password and lands in the console", async () => {
    const pair = await anonymous().auth.login.mutate({ email: admin.email, password: admin.password });
    const asAdmin = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${base}/trpc`, headers: { authorization: `Bearer ${pair.accessToken}` } })],
    });
    const body = newUserBody({ roles: ["moderator"] });
    delete (body as { password?: string }).password;
    const invited = await asAdmin.users.create.mutate(body);
    expect(invited.status).toBe("pending");
    const link = await linkIn(body.email, "invitation");

    const page = await newPage();
    await page.goto(link);
    await page.getByRole("heading", { name: "Accept your invitation" }).waitFor();
    await page.getByLabel("New password").fill("the moderator's password");
    await page.getByRole("button", { name: "Accept and sign in" }).click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    expect(await page.getByTestId("whoami").textContent()).toContain(body.email);
    expect((await asAdmin.users.get.query({ userId: invited.userId })).status).toBe("active");
  });

  it("a page opened without a token says so", async () => {
    const page = await newPage();
    await page.goto(`${base}/admin/#/reset-password`);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("needs the link from your message");
  });
});
