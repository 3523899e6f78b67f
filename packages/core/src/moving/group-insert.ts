import { AppError } from "../errors.ts";
import type { StoredUser } from "../store/entities/user.entity.ts";
import { insertUsers, type UserChange } from "../user/index.ts";

interface Waiting {
  build: () => UserChange;
  resolve: (user: StoredUser) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the importer: each caller inserts one user, as with `insertUser`, but the users that
 * wait together are written together (`insertUsers`, several per transaction). At most `inFlight` writes
 * run at once; while they do, the next callers queue and go out as one group of up to `groupSize`. So
 * under load the groups fill up by themselves, and a lone caller is not kept waiting.
 */
export function groupInserter(options: { inFlight: number; groupSize: number }): (build: () => UserChange) => Promise<StoredUser> {
  const queue: Waiting[] = [];
  let running = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (running < options.inFlight && queue.length > 0) {
      const group = queue.splice(0, options.groupSize);
      running += 1;
      insertUsers(group.map((waiting) => waiting.build))
        .then((results) =>
          results.forEach((result, index) => {
            if (result instanceof AppError) group[index]!.reject(result);
            else group[index]!.resolve(result);
          }),
        )
        .catch((error: unknown) => group.forEach((waiting) => waiting.reject(error)))
        .finally(() => {
          running -= 1;
          flush();
        });
    }
  };

  return (build) =>
    new Promise<StoredUser>((resolve, reject) => {
      queue.push({ build, resolve, reject });
      // Callers that arrive in the same turn of the event loop go out together.
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
