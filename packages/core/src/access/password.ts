import bcrypt from "bcryptjs";
import { config } from "../config.ts";

/** bcrypt hash at the configured cost (BCRYPT_ROUNDS). Input is already checked to be 8–72 bytes. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, config().bcryptRounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
