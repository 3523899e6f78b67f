// One bcrypt job in a worker thread of the password pool (password-hasher.ts). Plain JavaScript, so the
// thread loads it as it is under tsx, vitest and the compiled bundle alike.
import bcrypt from "bcryptjs";

export function hash({ password, rounds }) {
  return bcrypt.hashSync(password, rounds);
}

export function compare({ password, hash }) {
  return bcrypt.compareSync(password, hash);
}
