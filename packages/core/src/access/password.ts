import bcrypt from "bcryptjs";
import { config } from "../config.ts";

/** bcrypt hash at the configured cost (BCRYPT_ROUNDS). Input is already checked to be 8–72 bytes. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, config().bcryptRounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * The same bcrypt work as a real check, for an unknown email, so timing does not tell which emails have
 * accounts. Always false.
 */
export async function dummyPasswordCheck(password: string): Promise<false> {
  dummyHash ??= bcrypt.hash("not-a-real-password-for-timing", config().bcryptRounds);
  await bcrypt.compare(password, await dummyHash);
  return false;
}
