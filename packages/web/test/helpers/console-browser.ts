/**
 * What every console test needs before its first page: the console built (when its build is missing or
 * older than its sources; the build typechecks it against the API's `AppRouter`), and a Chromium: the
 * one the @sparticuz/chromium package ships inside its npm tarball (unpacked on first use), or any
 * Chromium or Chrome named by CHROMIUM_PATH, driven by playwright-core.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import sparticuzChromium from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";
import { webDist } from "../../../api/src/local/server.ts";

const repoRoot = resolve(import.meta.dirname, "../../../..");
const webDir = resolve(import.meta.dirname, "../..");

const ownFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * The package's flags are made for Lambda; two of them do not suit a test: `--single-process` brings the
 * whole browser down when a second context closes, and `--disable-web-security` would hide what a real
 * browser refuses.
 */
const unsuitedFlags = new Set(["--single-process", "--disable-web-security"]);

/** The newest modification time under the console's sources. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/** Builds the console unless its build is newer than every source it is made from. */
export function buildConsoleIfStale(): void {
  const built = join(webDist, "index.html");
  const sources = Math.max(...["app", "index.html", "vite.config.ts", "package.json"].map((p) => newestSource(join(webDir, p))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync("npm", ["run", "build", "-w", "@users/web"], { cwd: repoRoot, stdio: "pipe", timeout: 240_000 });
}

/** CHROMIUM_PATH when set, else the package's own binary with its flags minus the unsuited ones. */
export async function launchChromium(): Promise<Browser> {
  if (process.env.CHROMIUM_PATH) return chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ownFlags, headless: true });
  const packaged = sparticuzChromium.args.filter((flag) => !unsuitedFlags.has(flag));
  const args = [...packaged, ...ownFlags.filter((flag) => !packaged.includes(flag))];
  return chromium.launch({ executablePath: await sparticuzChromium.executablePath(), args, headless: true });
}
