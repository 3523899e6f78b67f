import bcrypt from "bcryptjs";

/**
 * Where bcrypt's work runs. bcryptjs is pure JavaScript: on the thread that serves requests, one hash
 * at cost 12 (~0.4 s of CPU) holds up every other request of the process. A pool of worker threads
 * keeps that thread free; in Lambda, where an instance serves one request at a time, there is nothing
 * to keep it free for (docs/benchmark.md has the measurement), and bcrypt runs in-thread.
 */
export interface PasswordHasher {
  hash(password: string, rounds: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

/** bcryptjs on the calling thread (its async API, which yields between rounds). */
export const inThreadHasher: PasswordHasher = {
  hash: (password, rounds) => bcrypt.hash(password, rounds),
  compare: (password, hash) => bcrypt.compare(password, hash),
};

/**
 * bcryptjs in up to `threads` worker threads (Piscina), started on first use and stopped after a
 * minute idle, so a command-line tool that hashed once still exits.
 */
export async function workerPoolHasher(threads: number): Promise<PasswordHasher> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({
    filename: new URL("./bcrypt-worker.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    hash: (password, rounds) => pool.run({ password, rounds }, { name: "hash" }) as Promise<string>,
    compare: (password, hash) => pool.run({ password, hash }, { name: "compare" }) as Promise<boolean>,
  };
}
