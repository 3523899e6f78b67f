import { idempotent, User, withContext } from "@users/core";
import { db } from "@users/core/store/service";
import { describe, expect, it } from "vitest";
import { seedUser } from "./helpers/api-server.ts";

/**
 * The idempotency record is written in the change's own transaction, so it tells the truth about
 * whether the change happened, whatever became of the attempt that made it.
 */
const asAdmin = <T>(run: () => Promise<T>) => withContext({ actor: { kind: "system", name: "idempotency-test" } }, run);
const key = () => `key-${Math.random().toString(36).slice(2)}`;
const reread = (userId: string) => asAdmin(() => User.get({ userId }));

describe("the idempotency record and the change commit together", () => {
  it("a change that committed before its attempt died is replayed, not done again", async () => {
    const { user } = await seedUser();
    let crash = true;
    const update = idempotent(
      "test.update",
      async (input: { userId: string; firstName: string }) => {
        const updated = await User.update(input);
        if (crash) throw new Error("the process died right after the commit");
        return updated;
      },
      { resultOfCommitted: async (userId) => reread(userId!) },
    );
    const k = key();
    await expect(asAdmin(() => update({ userId: user.userId, firstName: "Once" }, k))).rejects.toThrow("died");
    crash = false;
    const replayed = await asAdmin(() => update({ userId: user.userId, firstName: "Once" }, k));
    expect(replayed.firstName).toBe("Once");
    expect(replayed.version).toBe(user.version + 1);
    expect((await reread(user.userId)).version).toBe(user.version + 1);
  });

  it("a late commit of an attempt whose key a retry took over is cancelled: the change happens once", async () => {
    const { user } = await seedUser();
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let attempts = 0;
    // Work that is not idempotent by itself: each attempt writes something new.
    const update = idempotent("test.update", async (input: { userId: string; firstName: string }) => {
      const attempt = ++attempts;
      if (attempt === 1) await stalled; // the first attempt hangs before its write reaches DynamoDB
      return User.update({ ...input, metadata: { attempt } });
    });
    const k = key();
    const first = asAdmin(() => update({ userId: user.userId, firstName: "Late" }, k));
    // Wait until the first attempt holds the key, then let its lease run out (as after 30 s).
    let record;
    for (let i = 0; i < 100 && !(record = (await db().idempotencyRecord.query.byScope({ scope: `system:idempotency-test|test.update|${k}` }).go()).data[0]); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(record?.status).toBe("started");
    await db().idempotencyRecord.patch({ scope: record!.scope }).set({ leaseUntil: Date.now() - 1 }).go();

    const retried = await asAdmin(() => update({ userId: user.userId, firstName: "Late" }, k));
    expect([retried.version, retried.metadata]).toEqual([user.version + 1, { attempt: 2 }]);
    release();
    await expect(first).rejects.toMatchObject({ code: "IDEMPOTENCY_IN_PROGRESS" });
    const after = await reread(user.userId);
    expect([after.version, after.metadata]).toEqual([user.version + 1, { attempt: 2 }]);
  });
});
