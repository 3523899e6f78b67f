/**
 * The console's search, counts and a user's sessions, end to end in Chromium (@sparticuz/chromium's
 * binary, shipped inside its npm package, driven by playwright-core) against the local server on this
 * file's DynamoDB Local table. Builds the console first when its build is missing or older than its sources.
 */
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { AppRouter } from "@users/api";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser } from "../../api/test/helpers/api-server.ts";
import { serveLocally } from "../../api/src/local/server.ts";
import { buildConsoleIfStale, launchChromium } from "./helpers/console-browser.ts";


type Seeded = Awaited<ReturnType<typeof seedUser>>;
let base = "";
let closeServer: () => Promise<void> = async () => {};
let browser: Browser;
let admin: Seeded;
const people: { userId: string; email: string }[] = [];

async function clientAs(who: { email: string; password: string }) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/trpc` })] });
  const pair = await anonymous.auth.login.mutate({ email: who.email, password: who.password });
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${base}/trpc`, headers: { authorization: `Bearer ${pair.accessToken}` } })],
  });
}

const rows = (page: Page) => page.locator("table.users tbody tr");

beforeAll(async () => {
  buildConsoleIfStale();
  const server = await serveLocally(0, "127.0.0.1");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((done) => server.close(() => done()));
  admin = await seedUser({ roles: ["admin"] });
  const api = await clientAs(admin);
  const names = [
    ["Zoë", "Quist"],
    ["Zoltan", "Quarry"],
    ["Ångel", "Quist"],
    ["Bruno", "Marsh"],
  ];
  for (const [firstName, lastName] of names) {
    const user = await api.users.create.mutate({
      email: `person${people.length}.${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: "correct horse battery",
      firstName: firstName!,
      lastName: lastName!,
    });
    people.push(user);
  }
  await api.users.setStatus.mutate({ userId: people[3]!.userId, status: "suspended" });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer();
});

describe("console: search, counts and sessions", () => {
  let page: Page;

  it("shows the counts and totals on the status filter", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${base}/admin/`);
    await page.getByLabel("Email", { exact: true }).fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    const counts = page.getByTestId("user-counts");
    await counts.waitFor();
    // The admin and four people, one of them suspended.
    expect(await counts.locator('[data-count="total"]').innerText()).toBe("5");
    expect(await counts.locator('[data-count="suspended"]').innerText()).toBe("1");
    expect(await counts.locator('[data-count="admin"]').innerText()).toBe("1");
    expect(await page.locator('#filter-status option[value="active"]').innerText()).toBe("Active (4)");
    await expect.poll(() => page.locator("#users-count").innerText(), { timeout: 20_000 }).toBe("5 users shown of 5");
  });

  it("searches as you type, accent-insensitively, and Escape clears", async () => {
    const search = page.getByLabel("Search");
    await search.focus();
    await page.keyboard.type("zo", { delay: 30 });
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(2);
    await page.keyboard.type("e", { delay: 30 });
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(1);
    expect(await rows(page).first().getAttribute("data-user-id")).toBe(people[0]!.userId);
    expect(await page.locator("#users-count").innerText()).toBe("1 user shown");

    await search.fill("");
    await page.keyboard.type("quist ang", { delay: 20 });
    await expect.poll(() => rows(page).first().getAttribute("data-user-id"), { timeout: 20_000 }).toBe(people[2]!.userId);
    expect(await rows(page).count()).toBe(1);

    // With the status filter: the suspended one only.
    await search.fill("");
    await page.getByLabel("Status", { exact: true }).selectOption("suspended");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await search.focus();
    await page.keyboard.type("mar", { delay: 20 });
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(1);
    expect(await rows(page).first().getAttribute("data-user-id")).toBe(people[3]!.userId);

    await page.keyboard.press("Escape");
    expect(await search.inputValue()).toBe("");
    await expect.poll(() => page.locator("#users-count").innerText(), { timeout: 20_000 }).toBe("1 user shown of 1");
  });

  it("lists a user's sessions and signs them out everywhere", async () => {
    const person = { email: people[1]!.email, password: "correct horse battery" };
    const personApi = await clientAs(person);
    await clientAs(person);
    await page.goto(`${base}/admin/#/users/${people[1]!.userId}`);
    const signOutEverywhere = page.getByRole("button", { name: "Sign out everywhere" });
    await signOutEverywhere.waitFor();
    expect(await page.locator("table.sessions tbody tr").count()).toBe(2);
    await signOutEverywhere.click();
    await page.getByText("Signed out everywhere: no open sessions.").waitFor();
    await expect(personApi.auth.me.query()).rejects.toThrow();
  });
});
