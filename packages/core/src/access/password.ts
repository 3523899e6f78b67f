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
