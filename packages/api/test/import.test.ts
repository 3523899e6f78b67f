/**
 * `npm run import` end to end: each format into DynamoDB Local, imported users signing in with their old
 * passwords (their hash moving to the configured cost), re-runs, a killed run resumed, the report file.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import { Audit, withContext } from "@users/core";
import { exportUsers, runImport } from "@users/core/moving/index";
import { db } from "@users/core/store/service";
import { useApiServer } from "./helpers/api-server.ts";
import { runCli, startCli } from "./helpers/cli-process.ts";

// Each test runs real imports, CLI processes and bcrypt sign-ins against DynamoDB Local.
vi.setConfig({ testTimeout: 120_000 });

// The CLI runs in its own process: it unwraps the same data keys as this one, with the file's master key
// that test-setup.ts puts in the environment the CLI processes inherit.
const dir = mkdtempSync(join(tmpdir(), "import-test-"));

const api = useApiServer();
const asSystem = <T>(fn: () => Promise<T>) => withContext({ actor: { kind: "system", name: "import-test" } }, fn);
const tag = Date.now().toString(36);
let files = 0;
const file = (name: string, text: string) => {
  const path = join(dir, `${(files += 1)}-${name}`);
  writeFileSync(path, text);
  return path;
};
/** A real bcrypt hash of `password` at `cost`, written with another system's prefix. */
const hashWith = (password: string, prefix: "2a" | "2b" | "2y", cost: number) =>
  bcrypt.hashSync(password, cost).replace(/^\$2b\$/, `$${prefix}$`);
const stored = async (email: string) => {
  const { data } = await db().user.query.byEmail({ email }).go();
  return data[0]!;
};

describe("NDJSON", () => {
  const ada = { email: `ada.${tag}@example.com`, firstName: "Ada", lastName: "Lovelace", username: `ada_${tag}`, passwordHash: hashWith("analytical engine", "2y", 6), emailVerified: true, metadata: { plan: "pro" } };
  const bob = { email: `bob.${tag}@example.com`, firstName: "Bob", lastName: "Babbage", passwordHash: hashWith("difference engine", "2a", 5), roles: ["moderator"] };
  const cy = { email: `cy.${tag}@example.com`, firstName: "Cy", lastName: "Clock", password: "plain text password" };
  const lines = [
    JSON.stringify(ada),
    "",
    "{not json",
    JSON.stringify(bob),
    JSON.stringify({ email: "not-an-email", firstName: "X", lastName: "Y", password: "long enough pw" }),
    JSON.stringify(cy),
    JSON.stringify({ ...cy, email: `dee.${tag}@example.com`, passwordHash: ada.passwordHash }),
    JSON.stringify({ email: `eve.${tag}@example.com`, firstName: "Eve", lastName: "Evans", passwordHash: "$1$md5crypt$notbcrypt" }),
  ];
  const path = file("users.ndjson", `${lines.join("\n")}\n`);

  it("imports valid lines, reports the others with their line number and reason", async () => {
    const result = await asSystem(() => runImport({ file: path, format: "ndjson", concurrency: 4 }));
    expect(result).toMatchObject({ imported: 3, skipped: 0, failed: 4, complete: true });
    const report = readFileSync(result.reportFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(report.map((r) => r.line).sort()).toEqual([3, 5, 7, 8]);
    expect(report.find((r) => r.line === 3).reason).toMatch(/not valid JSON/);
    expect(report.find((r) => r.line === 5).reason).toMatch(/^email:/);
    expect(report.find((r) => r.line === 7).reason).toMatch(/password.*not both/);
    expect(report.find((r) => r.line === 8).reason).toMatch(/passwordHash: must be a bcrypt hash/);
    expect(existsSync(result.checkpointFile)).toBe(false);
  });

  it("keeps the imported hashes; users sign in with their old passwords and the hash moves to the configured cost", async () => {
    expect((await stored(ada.email)).passwordHash).toBe(ada.passwordHash);
    const session = await api.signIn(ada.email, "analytical engine");
    const upgraded = (await stored(ada.email)).passwordHash;
    expect(upgraded).toMatch(/^\$2b\$04\$/); // BCRYPT_ROUNDS=4 in tests
    expect(await bcrypt.compare("analytical engine", upgraded)).toBe(true);
    // Still signs in after the upgrade, and the user is who the file said.
    await api.signIn(ada.email, "analytical engine");
    const me = await api.request("GET", "/v1/auth/me", { token: session.accessToken });
    expect(me.body).toMatchObject({ email: ada.email, username: ada.username, roles: ["customer"], status: "active", metadata: { plan: "pro" } });
    expect((await stored(ada.email)).emailVerified).toBe(true);

    await api.signIn(bob.email, "difference engine");
    expect((await stored(bob.email)).passwordHash).toMatch(/^\$2b\$04\$/);
    await api.signIn(cy.email, "plain text password");
    const wrong = await api.request("POST", "/v1/auth/login", { body: { email: bob.email, password: "not the one" }, token: null });
    expect(wrong.status).toBe(401);
  });

  it("records user.imported with the imported values, and the upgrade without any hash", async () => {
    const user = await stored(ada.email);
    const { items } = await asSystem(() => Audit.list({ userId: user.userId, limit: 20 }));
    const imported = items.find((e) => e.type === "user.imported")!;
    expect(imported.changes.email).toEqual({ from: null, to: ada.email });
    const upgrade = items.find((e) => e.type === "user.password_changed")!;
    expect(upgrade.changes).toEqual({ passwordHashScheme: { from: "$2y$06", to: "$2b$04" } });
    expect(JSON.stringify(items)).not.toContain(ada.passwordHash);
  });

  it("re-running skips the users already there (not failed)", async () => {
    const again = await asSystem(() => runImport({ file: path, format: "ndjson" }));
    expect(again).toMatchObject({ imported: 0, skipped: 3, failed: 4 });
  });

  it("a dry run writes nothing", async () => {
    const fresh = file("dry.ndjson", `${JSON.stringify({ ...cy, email: `dry.${tag}@example.com` })}\n`);
    const result = await asSystem(() => runImport({ file: fresh, format: "ndjson", dryRun: true }));
    expect(result).toMatchObject({ imported: 1, skipped: 0, failed: 0 });
    const { data } = await db().user.query.byEmail({ email: `dry.${tag}@example.com` }).go();
    expect(data).toEqual([]);
  });
});

describe("many users at once", () => {
  it("writes them several to a transaction: each user once, counted and searchable", async () => {
    const hash = hashWith("many users pw", "2b", 4);
    const mark = `Many${tag}`;
    const many = Array.from({ length: 120 }, (_, i) => ({
      email: `many${i}.${tag}@example.com`,
      firstName: mark,
      lastName: `Number${i}`,
      ...(i % 3 === 0 ? { username: `many_${i}_${tag}` } : {}),
      passwordHash: hash,
    }));
    // The same person twice in one file: imported once, then skipped.
    const path = file("many.ndjson", `${[...many, many[7]].map((user) => JSON.stringify(user)).join("\n")}\n`);
    const before = (await api.request("GET", "/v1/users/stats")).body;
    const result = await asSystem(() => runImport({ file: path, format: "ndjson", concurrency: 64 }));
    expect(result).toMatchObject({ imported: 120, skipped: 1, failed: 0, complete: true });
    const after = (await api.request("GET", "/v1/users/stats")).body;
    expect(after.total - before.total).toBe(120);
    expect(after.byRole.customer - before.byRole.customer).toBe(120);
    const found = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api.request("GET", `/v1/users?q=${mark}&limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      for (const user of page.body.items) found.add(user.email);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(found).toEqual(new Set(many.map((user) => user.email)));
  });
});

describe("Auth0 bulk-import JSON", () => {
  it("imports entries with bcrypt custom_password_hash; they sign in; other algorithms are reported", async () => {
    const entries = [
      {
        email: `Grace.${tag}@Example.com`,
        email_verified: true,
        given_name: "Grace",
        family_name: "Hopper",
        username: `grace_${tag}`,
        user_metadata: { team: "navy", level: 3 },
        custom_password_hash: { algorithm: "bcrypt", hash: { value: hashWith("cobol compiler", "2b", 10) } },
      },
      { email: `alan.${tag}@example.com`, name: "Alan Turing", custom_password_hash: { algorithm: "bcrypt", hash: { value: hashWith("enigma machine", "2a", 4) } } },
      { email: `md5.${tag}@example.com`, given_name: "M", family_name: "D", custom_password_hash: { algorithm: "md5", hash: { value: "x" } } },
      { email: `noname.${tag}@example.com`, custom_password_hash: { algorithm: "bcrypt", hash: { value: hashWith("whatever pw", "2b", 4) } } },
    ];
    const path = file("auth0.json", JSON.stringify(entries, null, 2));
    const result = await asSystem(() => runImport({ file: path, format: "auth0" }));
    expect(result).toMatchObject({ imported: 2, skipped: 0, failed: 2 });
    const report = readFileSync(result.reportFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(report.sort((a, b) => a.record - b.record)).toEqual([
      { record: 3, reason: expect.stringMatching(/algorithm "md5" is not supported/) },
      { record: 4, reason: expect.stringMatching(/given_name and family_name/) },
    ]);

    const grace = await api.signIn(`grace.${tag}@example.com`, "cobol compiler");
    expect(grace.user).toMatchObject({ firstName: "Grace", lastName: "Hopper", username: `grace_${tag}`, metadata: { team: "navy", level: 3 } });
    const alan = await api.signIn(`alan.${tag}@example.com`, "enigma machine");
    expect(alan.user).toMatchObject({ firstName: "Alan", lastName: "Turing" });
  });

  it("stops with a clear error on a broken array and resumes after the fix", async () => {
    const path = file("broken.json", `[{"email":"x.${tag}@example.com","given_name":"X","family_name":"Y"}, {"email": `);
    await expect(asSystem(() => runImport({ file: path, format: "auth0" }))).rejects.toThrow(/Reading .* failed/);
  });
});

describe("Cognito user-pool CSV", () => {
  it("imports users as pending without a password", async () => {
    const csv = [
      "cognito:username,name,given_name,family_name,email,email_verified,phone_number,preferred_username,cognito:mfa_enabled",
      `u1,,Linus,Pauling,linus.${tag}@example.com,true,+15555550100,linus_${tag},false`,
      `u2,Rosalind Franklin,,,rosalind.${tag}@example.com,false,,,false`,
      `u3,,No,Email,,false,,,false`,
    ].join("\n");
    const path = file("cognito.csv", csv);
    const result = await asSystem(() => runImport({ file: path, format: "cognito-csv" }));
    expect(result).toMatchObject({ imported: 2, skipped: 0, failed: 1 });
    const report = readFileSync(result.reportFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(report).toEqual([{ record: 3, line: 4, reason: expect.stringMatching(/^email:/) }]);
    const linus = await stored(`linus.${tag}@example.com`);
    expect(linus).toMatchObject({ status: "pending", phoneNumber: "+15555550100", username: `linus_${tag}`, emailVerified: true });
    const rosalind = await stored(`rosalind.${tag}@example.com`);
    expect(rosalind).toMatchObject({ firstName: "Rosalind", lastName: "Franklin", status: "pending" });
    // No password matches until the invitation sets one.
    const login = await api.request("POST", "/v1/auth/login", { body: { email: linus.email, password: "!no-password" }, token: null });
    expect(login.status).toBe(401);
  });
});

describe("the command", () => {
  it("resumes a killed run from its checkpoint, without duplicates, and ends with the summary", async () => {
    const count = 240;
    const hash = hashWith("resumed password", "2b", 4);
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ email: `bulk${i}.${tag}@example.com`, firstName: "Bulk", lastName: `User${i}`, passwordHash: hash }),
    );
    const path = file("bulk.ndjson", `${lines.join("\n")}\n`);
    const checkpoint = `${path}.checkpoint.json`;
    const first = startCli("import.ts", [path, "--concurrency", "4"]);
    // Kill it (no chance to clean up) once it has saved some progress.
    const progressed = () => {
      try {
        return JSON.parse(readFileSync(checkpoint, "utf8")).done > 0;
      } catch {
        return false; // not written yet
      }
    };
    for (let i = 0; i < 3000 && !progressed(); i++) await sleep(100);
    expect(progressed()).toBe(true);
    first.child.kill("SIGKILL");
    await first.done;
    const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
    expect(saved.done).toBeGreaterThan(0);
    expect(saved.done).toBeLessThan(count);

    const second = await runCli("import.ts", [path]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`Resumed after record ${saved.done}`);
    const summary = /^imported (\d+), skipped (\d+), failed (\d+)$/m.exec(second.stdout)!;
    expect(summary).not.toBeNull();
    const [imported, skipped, failed] = summary.slice(1).map(Number);
    expect(failed).toBe(0);
    expect(imported! + skipped!).toBe(count);
    expect(second.stderr).toMatch(/\d+( of ~\d+)? users \(\d+%\), \d+\/s, [\d:?]+ left/); // plain progress lines off a TTY
    expect(existsSync(checkpoint)).toBe(false);

    let inTable = 0;
    for await (const user of exportUsers()) if (user.email.startsWith("bulk") && user.email.endsWith(`.${tag}@example.com`)) inTable += 1;
    expect(inTable).toBe(count);
    await api.signIn(`bulk${count - 1}.${tag}@example.com`, "resumed password");
  }, 600_000);
});

describe("npm run export", () => {
  it("writes one User a line, filtered by status, hashes only when asked, and the file imports back", async () => {
    const out = join(dir, "pending.ndjson");
    const result = await runCli("export.ts", ["--out", out, "--status", "pending"]);
    expect(result.code, result.stderr).toBe(0);
    const users = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(users.every((u) => u.status === "pending")).toBe(true);
    expect(users.map((u) => u.email)).toContain(`linus.${tag}@example.com`);
    expect(readFileSync(out, "utf8")).not.toMatch(/passwordHash|\$2[aby]\$/);
    expect(result.stderr).toMatch(/exported \d+ users/);

    const withHashes = await runCli("export.ts", ["--include-password-hashes"]);
    expect(withHashes.stderr).toMatch(/Warning: the export holds password hashes/);
    const ada = withHashes.stdout.trim().split("\n").map((l) => JSON.parse(l)).find((u) => u.email === `ada.${tag}@example.com`);
    expect(ada.passwordHash).toMatch(/^\$2b\$04\$/);
    expect(ada).toMatchObject({ userId: expect.any(String), version: expect.any(Number), username: `ada_${tag}` });

    // An export is an import file (the hashes' file too: its Ada line imports as she is).
    const adaLine = withHashes.stdout.split("\n").filter((l) => l.includes(`"ada.${tag}@example.com"`));
    const again = await asSystem(() => runImport({ file: file("reimport.ndjson", `${readFileSync(out, "utf8")}${adaLine.join("\n")}\n`), format: "ndjson" }));
    expect(again.failed, readFileSync(again.reportFile, "utf8").slice(0, 2000)).toBe(0);
    expect(again.imported).toBe(0); // same table: every one is already there
    expect(again.skipped).toBe(users.length + 1);
  }, 300_000);
});
