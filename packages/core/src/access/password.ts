import { config } from "../config.ts";
import { inThreadHasher, workerPoolHasher, type PasswordHasher } from "./password-hasher.ts";

let hasher: Promise<PasswordHasher> | undefined;

/** The process's hasher: worker threads where BCRYPT_THREADS (config) asks for them, else in-thread. */
function passwordHasher(): Promise<PasswordHasher> {
  const { bcryptThreads } = config();
  hasher ??= bcryptThreads > 0 ? workerPoolHasher(bcryptThreads) : Promise.resolve(inThreadHasher);
  return hasher;
}

/** bcrypt hash at the configured cost (BCRYPT_ROUNDS). Input is already checked to be 8–72 bytes. */
export async function hashPassword(password: string): Promise<string> {
  return (await passwordHasher()).hash(password, config().bcryptRounds);
}

/** `$2b$12` of a bcrypt hash: its variant and cost, or null for anything else. */
export function bcryptScheme(hash: string): { variant: string; cost: number } | null {
  const match = /^\$(2[abxy])\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(hash);
  return match ? { variant: match[1]!, cost: Number(match[2]) } : null;
}

/** Whether a hash should be replaced: another cost than BCRYPT_ROUNDS, or the older $2a$/$2y$ prefixes. */
export function hashNeedsUpgrade(hash: string, rounds: number): boolean {
  const scheme = bcryptScheme(hash);
  return scheme !== null && (scheme.variant !== "2b" || scheme.cost !== rounds);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await passwordHasher()).compare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * The same bcrypt work as a real check, for an unknown email, so timing does not tell which emails have
 * accounts. Always false.
 */
export async function dummyPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword("not-a-real-password-for-timing");
  await verifyPassword(password, await dummyHash);
  return false;
}
