import bcrypt from "bcryptjs";
import { config } from "../config.ts";

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
