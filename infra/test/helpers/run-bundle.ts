import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { BuiltFunction } from "./bundle-function.ts";

export interface BundleRun<R = unknown> {
  handlerType: string;
  isAsync: boolean;
  parameters: number;
  callbackWaitsUntouched: boolean;
  loadMs: number;
  responses: R[];
  /** Everything the handler logged: console.log/info go to stdout, console.warn/error to stderr. */
  stdout: string;
  stderr: string;
}

/**
 * Calls a built bundle's handler with `events`, one after another, in a new Node process (nothing from
 * the test's module graph leaks in) whose working directory is the bundle's own, as in Lambda, and
 * whose environment is only PATH plus `env`. Asynchronous, so a fake service the test serves (a stand-in
 * for EventBridge) can answer the bundle meanwhile.
 */
export async function runBundle<R = unknown>(
  built: BuiltFunction,
  cwd: string,
  events: unknown[],
  env: Record<string, string>,
): Promise<BundleRun<R>> {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [resolve("infra/test/helpers/invoke-bundle.mjs"), built.file, built.exportName, JSON.stringify(events)],
    {
      cwd,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "us-east-1",
        NODE_OPTIONS: "--enable-source-maps",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...env,
      },
    },
  );
  const lines = stdout.trim().split("\n");
  return { ...(JSON.parse(lines.at(-1)!) as Omit<BundleRun<R>, "stdout" | "stderr">), stdout: lines.slice(0, -1).join("\n"), stderr };
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
