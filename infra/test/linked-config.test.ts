/**
 * packages/core/src/config.ts in each place it runs: environment variables locally and in tests,
 * SST's links in AWS, where Lambda gets them from the encrypted resource file SST ships with the
 * function (SST_KEY_FILE, decrypted with SST_KEY) or from SST_RESOURCE_* variables under `sst dev`.
 * Links are loaded once per process, so each case runs in a fresh Node process.
 */
import { execFileSync } from "node:child_process";
import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig } from "../../packages/core/src/config.ts";

const dir = mkdtempSync(join(tmpdir(), "linked-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `readConfig()` as a fresh process with exactly this environment sees it. */
function configIn(env: Record<string, string>) {
  const script = 'const { readConfig } = await import("./packages/core/src/config.ts"); console.log(JSON.stringify(readConfig()));';
  const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  return JSON.parse(output.trim().split("\n").at(-1)!);
}

/** What SST writes next to a deployed function: the links as JSON, AES-256-GCM with a zero nonce. */
function encryptedLinks(links: unknown) {
  const key = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(12, 0));
  const body = Buffer.concat([cipher.update(JSON.stringify(links)), cipher.final(), cipher.getAuthTag()]);
  const file = join(dir, `resource-${randomBytes(4).toString("hex")}.enc`);
  writeFileSync(file, body);
  return { SST_KEY: key.toString("base64"), SST_KEY_FILE: file };
}

const app = { SST_RESOURCE_App: JSON.stringify({ name: "users-service", stage: "ci" }) };

describe("configuration", () => {
  it("outside SST: environment variables, then the local defaults, without throwing", () => {
    expect(configIn({})).toMatchObject({ tableName: "users-service", cursorSecret: "users-service-local-cursor-key" });
    expect(configIn({ TABLE_NAME: "t", CURSOR_SECRET: "c", BCRYPT_ROUNDS: "5" })).toMatchObject({
      tableName: "t",
      cursorSecret: "c",
      bcryptRounds: 5,
    });
  });

  it("in Lambda: the table name and cursor key from the encrypted links file", () => {
    const links = { Table: { name: "users-service-ci-TableTable-x1" }, CursorSecret: { value: "from-ssm" } };
    expect(configIn({ ...app, ...encryptedLinks(links), AWS_LAMBDA_FUNCTION_NAME: "api" })).toMatchObject({
      tableName: "users-service-ci-TableTable-x1",
      cursorSecret: "from-ssm",
    });
  });

  it("under sst dev: from SST_RESOURCE_* variables; an explicit variable still wins", () => {
    const env = { ...app, SST_RESOURCE_Table: JSON.stringify({ name: "linked-table" }) };
    expect(configIn(env).tableName).toBe("linked-table");
    expect(configIn({ ...env, TABLE_NAME: "explicit" }).tableName).toBe("explicit");
  });

  it("a deployed function not linked to CursorSecret never signs with the well-known local key", () => {
    const first = configIn({ ...app, AWS_LAMBDA_FUNCTION_NAME: "consumer" }).cursorSecret;
    const second = configIn({ ...app, AWS_LAMBDA_FUNCTION_NAME: "consumer" }).cursorSecret;
    expect(first).not.toBe("users-service-local-cursor-key");
    expect(first).not.toBe(second);
  });

  it("readConfig takes the links as a parameter, for tests", () => {
    const linked = (resource: string, property: string) => `${resource}.${property}`;
    expect(readConfig({}, linked)).toMatchObject({ tableName: "Table.name", cursorSecret: "CursorSecret.value" });
  });
});
