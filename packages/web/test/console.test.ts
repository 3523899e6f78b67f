/**
 * The admin console end to end, in the Chromium that the @sparticuz/chromium package ships inside its npm
 * tarball (unpacked on first use; CHROMIUM_PATH overrides it), driven by playwright-core, against
 * the local server on this file's DynamoDB Local table. Builds the console first when its build is
 * missing or older than its sources (the build typechecks it against the API's `AppRouter`).
 * Screenshots of the main screens go to screenshots/console-*.png (git-ignored).
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { AppRouter } from "@users/api";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../api/test/helpers/api-server.ts";
import { serveLocally } from "../../api/src/local/server.ts";
import { buildConsoleIfStale, launchChromium } from "./helpers/console-browser.ts";

const repoRoot = resolve(import.meta.dirname, "../../..");
const screenshots = join(repoRoot, "screenshots");


type Seeded = Awaited<ReturnType<typeof seedUser>>;

let base = "";
let closeServer: () => Promise<void> = async () => {};
let browser: Browser;
let admin: Seeded;
let moderator: Seeded;
const active: Seeded[] = [];
const suspended: Seeded[] = [];

/** The API as another operator, behind the console's back. */
async function apiAs(who: Seeded) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc` })] });
  const pair = await anonymous.auth.login.mutate({ email: who.email, password: who.password });
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${base}/trpc`, headers: { authorization: `Bearer ${pair.accessToken}` } })],
  });
  return { client, pair };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `console-${name}.png`), fullPage: true });
}

/** Every form control on the page has a label (by <label for>, aria-label or aria-labelledby). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval("input, select, textarea", (elements) =>
    elements
      .filter((e) => {
        const control = e as HTMLInputElement;
        return control.type !== "hidden" && (control.labels?.length ?? 0) === 0 && !control.getAttribute("aria-label") && !control.getAttribute("aria-labelledby");
      })
      .map((e) => e.outerHTML),
  );
}

async function signIn(context: BrowserContext, who: Seeded): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/admin/`);
  await expect.poll(() => page.getByRole("heading", { name: "Sign in to the users console" }).count()).toBe(1);
  expect(await unlabelledControls(page)).toEqual([]);
  // Keyboard only: the email field, Tab to the password, Enter submits.
  await page.getByLabel("Email", { exact: true }).focus();
  await page.keyboard.type(who.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(who.password);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
  return page;
}

const rows = (page: Page) => page.locator("table.users tbody tr");

async function openUser(page: Page, user: Seeded) {
  await page.goto(`${base}/admin/#/users/${user.user.userId}`);
  await page.locator(`article.user-page`).waitFor();
  await page.locator("ol.events li").first().waitFor();
}

beforeAll(async () => {
  buildConsoleIfStale();
  mkdirSync(screenshots, { recursive: true });
  const server = await serveLocally(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((done) => server.close(() => done()));

  admin = await seedUser({ roles: ["admin"] });
  moderator = await seedUser({ roles: ["moderator"] });
  for (let i = 0; i < 12; i++) active.push(await seedUser());
  for (let i = 0; i < 3; i++) suspended.push(await seedUser({ status: "suspended" }));

  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer();
});

describe("admin console", () => {
  let page: Page;
  let context: BrowserContext;

  it("signs an admin in with the keyboard and lists everyone, newest first", async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await signIn(context, admin);
    await expect.poll(() => rows(page).count()).toBe(17); // 12 active + 3 suspended + admin + moderator
    // Newest first: the last seeded user heads the list.
    await expect.poll(() => rows(page).first().getAttribute("data-user-id")).toBe(suspended[2]!.user.userId);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, "users");
  });

  it("filters by status, email and creation time, and pages with load more", async () => {
    await page.getByLabel("Status", { exact: true }).selectOption("active");
    await page.getByLabel("Per page").selectOption("10");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(10);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => rows(page).count()).toBe(14); // 12 customers, the admin, the moderator
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await page.getByText("That is everyone matching these filters.").waitFor();
    // Focus moved to the first row of the new page.
    expect(await page.evaluate(() => document.activeElement?.closest("tr")?.rowIndex)).toBe(11);

    await page.getByLabel("Status", { exact: true }).selectOption("suspended");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(3);

    await page.getByLabel("Status", { exact: true }).selectOption("");
    await page.getByLabel("Email (exact)").fill(suspended[1]!.email.toUpperCase());
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().getAttribute("data-user-id")).toBe(suspended[1]!.user.userId);

    // A malformed email: the API's complaint appears next to the field.
    await page.getByLabel("Email (exact)").fill("not-an-email");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.locator("#filter-email-error").waitFor();
    expect(await page.getByLabel("Email (exact)").getAttribute("aria-invalid")).toBe("true");

    // Created before anyone existed: the empty state. Created after then: everyone again.
    await page.getByLabel("Email (exact)").fill("");
    await page.getByLabel("Created before").fill("2020-01-01T00:00");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No users match these filters.").waitFor();
    await page.getByLabel("Created before").fill("");
    await page.getByLabel("Created after").fill("2020-01-01T00:00");
    await page.getByLabel("Per page").selectOption("20");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(17);
    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => rows(page).count()).toBe(17);
  });

  it("suspends a customer with a reason, and the status change heads their timeline", async () => {
    const target = active[0]!;
    await page.getByRole("link", { name: target.email }).click();
    await page.locator("ol.events li").first().waitFor();
    expect(await page.locator("ol.events li").first().getAttribute("data-type")).toBe("user.created");
    // An admin sees the user's sessions (none: they never signed in), not the note for others.
    await page.getByText("No open sessions.").waitFor();
    expect(await page.getByTestId("sessions-unavailable").count()).toBe(0);

    await page.getByLabel("New status").selectOption("suspended");
    await page.getByLabel("Reason (recorded in the audit trail)").fill("Chargeback on order 1234");
    await page.getByRole("button", { name: "Suspend user" }).click();
    await page.locator("h1 .badge.status-suspended").waitFor();
    const first = page.locator("ol.events li").first();
    await expect.poll(() => first.getAttribute("data-type")).toBe("user.status_changed");
    const text = await first.innerText();
    expect(text).toContain("Status changed");
    expect(text).toContain("active → suspended");
    expect(text).toContain("Reason: Chargeback on order 1234");
    expect(text).toContain("by you (admin)");
    expect(text).toContain("from 127.0.0.1");
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, "user-suspended");

    const { client } = await apiAs(admin);
    expect(await client.users.get.query({ userId: target.user.userId })).toMatchObject({ status: "suspended" });
  });

  it("refuses to overwrite a change made behind its back, and saves after a reload", async () => {
    const target = active[1]!;
    await openUser(page, target);
    const { client } = await apiAs(admin);
    await client.users.update.mutate({ userId: target.user.userId, firstName: "Behind" });

    await page.getByRole("button", { name: "Edit profile" }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("profile-firstName");
    await page.getByLabel("Last name").fill("Console");
    await page.getByRole("button", { name: "Save profile" }).click();
    const conflict = page.locator(".conflict");
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain("Someone else changed this user");
    await shot(page, "conflict");
    // Nothing was overwritten.
    expect(await client.users.get.query({ userId: target.user.userId })).toMatchObject({ firstName: "Behind", lastName: "Lovelace" });

    await page.getByRole("button", { name: "Reload the user" }).click();
    await expect.poll(() => page.getByTestId("first-name").innerText()).toBe("Behind");
    await page.getByRole("button", { name: "Edit profile" }).click();
    await page.getByLabel("Last name").fill("Console");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect.poll(() => page.getByTestId("last-name").innerText()).toBe("Console");
    expect(await client.users.get.query({ userId: target.user.userId })).toMatchObject({ firstName: "Behind", lastName: "Console" });
    await expect.poll(() => page.locator("ol.events li").first().innerText()).toContain("Lovelace → Console");
  });

  it("offers a moderator only what a moderator may do, and shows the server's refusal", async () => {
    const modContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const mod = await signIn(modContext, moderator);

    // On an admin: no status change, no profile edit, no roles, no delete.
    await openUser(mod, admin);
    expect(await mod.getByTestId("status-not-allowed").innerText()).toBe("Moderators may change the status of customers only.");
    for (const name of ["Edit profile", "Delete user…", "Add role"]) expect(await mod.getByRole("button", { name }).count()).toBe(0);
    expect(await mod.getByTestId("roles-not-allowed").innerText()).toBe("Only admins grant or take away roles.");
    await shot(mod, "moderator-on-admin");

    // On a customer: status only.
    const target = active[2]!;
    await openUser(mod, target);
    expect(await mod.getByLabel("New status").count()).toBe(1);
    for (const name of ["Edit profile", "Delete user…", "Add role"]) expect(await mod.getByRole("button", { name }).count()).toBe(0);

    // The customer becomes a moderator meanwhile: the suspension is not applied; after a reload the
    // console no longer offers it.
    const { client } = await apiAs(admin);
    await client.users.addRole.mutate({ userId: target.user.userId, role: "moderator" });
    await mod.getByLabel("Reason (recorded in the audit trail)").fill("Spam");
    await mod.getByRole("button", { name: "Suspend user" }).click();
    await mod.locator(".conflict").waitFor();
    await mod.getByRole("button", { name: "Reload the user" }).click();
    await mod.getByTestId("status-not-allowed").waitFor();
    expect(await mod.getByLabel("New status").count()).toBe(0);
    expect(await client.users.get.query({ userId: target.user.userId })).toMatchObject({ status: "active" });

    // The moderator loses the role: listing users is refused, in the server's words, where it was asked.
    await client.users.addRole.mutate({ userId: moderator.user.userId, role: "customer" });
    await client.users.removeRole.mutate({ userId: moderator.user.userId, role: "moderator" });
    await mod.goto(`${base}/admin/#/users`);
    await mod.reload();
    const refusal = mod.locator("form.filters .error");
    await refusal.waitFor();
    expect(await refusal.getAttribute("data-code")).toBe("FORBIDDEN");
    expect(await refusal.innerText()).toBe("Only moderators and admins list users.");
    await shot(mod, "refused");
    await modContext.close();
  });

  it("refreshes tokens transparently, also in two tabs at once", async () => {
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem("users-console.session")!));
    const second = await context.newPage();
    await second.goto(`${base}/admin/#/users`);
    await rows(second).first().waitFor();
    await page.goto(`${base}/admin/#/users`);
    // Both tabs find the access token expired and refresh at the same moment.
    await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem("users-console.session")!);
      localStorage.setItem("users-console.session", JSON.stringify({ ...stored, expiresAt: 0 }));
    });
    await Promise.all([page.reload(), second.reload()]);
    // Two reloads, each waiting for the one refresh behind a Web Lock: more than poll's default second.
    await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(17);
    await expect.poll(() => rows(second).count(), { timeout: 15_000 }).toBe(17);
    const after = await page.evaluate(() => JSON.parse(localStorage.getItem("users-console.session")!));
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 5 * 60_000);
    // Still the same, live session: it can act.
    await openUser(page, active[3]!);
    await second.close();
  });

  it("signs out cleanly when the session is revoked elsewhere", async () => {
    const { client } = await apiAs(admin);
    const { items } = await client.auth.sessions.query();
    for (const s of items.filter((s) => !s.current)) await client.auth.revokeSession.mutate({ sessionId: s.sessionId });
    await page.reload();
    await page.getByRole("heading", { name: "Sign in to the users console" }).waitFor();
    expect(await page.getByRole("status").innerText()).toContain("Your session has ended");
    expect(await page.evaluate(() => localStorage.getItem("users-console.session"))).toBeNull();
    await shot(page, "signed-out");
  });

  it("signs out on request, ending the session on the server", async () => {
    const fresh = await signIn(context, admin);
    const token = await fresh.evaluate(() => JSON.parse(localStorage.getItem("users-console.session")!).accessToken as string);
    await fresh.getByRole("button", { name: "Sign out" }).click();
    await fresh.getByRole("heading", { name: "Sign in to the users console" }).waitFor();
    const me = await fetch(`${base}/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    await context.close();
  });

  it("keeps customers out", async () => {
    const customerContext = await browser.newContext();
    const customer = await customerContext.newPage();
    await customer.goto(`${base}/admin/`);
    await customer.getByLabel("Email", { exact: true }).fill(active[4]!.email);
    await customer.getByLabel("Password").fill(active[4]!.password);
    await customer.getByRole("button", { name: "Sign in" }).click();
    expect(await customer.getByRole("alert").innerText()).toBe("This console is for admins and moderators. Your account has neither role.");
    await customerContext.close();
  });
});

describe("API docs", () => {
  it("/docs renders every operation of the OpenAPI document", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/docs`);
    await page.locator(".opblock").first().waitFor();
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(operations).toBeGreaterThanOrEqual(17);
    await expect.poll(() => page.locator(".opblock").count()).toBe(operations);
    const summaries = await page.locator(".opblock-summary-path").allInnerTexts();
    expect(summaries.map((s) => s.replace(/\u200b/g, ""))).toContain("/v1/users/{userId}/audit");
    await shot(page, "docs");
    await page.close();
  });
});
