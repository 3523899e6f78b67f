import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../src/config.ts";
import { inThreadHasher, workerPoolHasher } from "../src/access/password-hasher.ts";

const noLinks = () => undefined;

afterEach(() => vi.restoreAllMocks());

describe("password hashers", () => {
  it("a hash from the worker pool verifies in-thread and the other way round; a wrong password does not", async () => {
    const pool = await workerPoolHasher(2);
    const fromPool = await pool.hash("correct horse battery", 4);
    const inThread = await inThreadHasher.hash("correct horse battery", 4);
    expect(fromPool).toMatch(/^\$2b\$04\$/);
    expect(await inThreadHasher.compare("correct horse battery", fromPool)).toBe(true);
    expect(await pool.compare("correct horse battery", inThread)).toBe(true);
    expect(await pool.compare("wrong horse battery", inThread)).toBe(false);
  });

  it("the pool does bcrypt's work on other threads: this thread's bcryptjs is never called", async () => {
    const pool = await workerPoolHasher(1);
    const hash = vi.spyOn(bcrypt, "hash");
    const compare = vi.spyOn(bcrypt, "compare");
    expect(await pool.compare("correct horse battery", await pool.hash("correct horse battery", 4))).toBe(true);
    expect(hash).not.toHaveBeenCalled();
    expect(compare).not.toHaveBeenCalled();
    await inThreadHasher.compare("correct horse battery", await inThreadHasher.hash("correct horse battery", 4));
    expect(hash).toHaveBeenCalledTimes(1);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it("BCRYPT_THREADS: one per CPU by default, none in Lambda, or as set", () => {
    expect(readConfig({}, noLinks).bcryptThreads).toBeGreaterThan(0);
    expect(readConfig({ AWS_LAMBDA_FUNCTION_NAME: "api" }, noLinks).bcryptThreads).toBe(0);
    expect(readConfig({ AWS_LAMBDA_FUNCTION_NAME: "api", BCRYPT_THREADS: "2" }, noLinks).bcryptThreads).toBe(2);
    expect(readConfig({ BCRYPT_THREADS: "0" }, noLinks).bcryptThreads).toBe(0);
    expect(() => readConfig({ BCRYPT_THREADS: "-1" }, noLinks)).toThrow(/BCRYPT_THREADS/);
  });
});
