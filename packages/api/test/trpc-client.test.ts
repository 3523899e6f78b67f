import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { AppRouter } from "../src/index.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";

const api = useApiServer();

let trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
let batched: ReturnType<typeof createTRPCClient<AppRouter>>;
beforeAll(() => {
  const headers = () => ({ authorization: `Bearer ${api.adminToken}` });
  trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: api.url("/trpc"), headers })] });
  batched = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: api.url("/trpc"), headers })] });
});

/** The contract's code of a failed tRPC call. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { code: string }).code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("tRPC client", () => {
  it("creates, reads, updates, replaces and deletes with full types", async () => {
    const user = await trpc.users.create.mutate(newUserBody({ username: "trpc.user" }));
    expectTypeOf(user.version).toEqualTypeOf<number>();
    expectTypeOf(user.status).toEqualTypeOf<"active" | "suspended" | "pending" | "deleted">();
    expect(user).toMatchObject({ username: "trpc.user", version: 1 });

    const fetched = await trpc.users.get.query({ userId: user.userId });
    expect(fetched).toEqual(user);

    const updated = await trpc.users.update.mutate({ userId: user.userId, firstName: "Augusta", expectedVersion: 1 });
    expect(updated.version).toBe(2);
    expect(await codeOf(trpc.users.update.mutate({ userId: user.userId, lastName: "X", expectedVersion: 1 }))).toBe(
      "VERSION_MISMATCH",
    );

    const replaced = await trpc.users.replace.mutate({
      userId: user.userId,
      email: user.email,
      firstName: "Ada",
      lastName: "King",
    });
    expect(replaced).toMatchObject({ username: null, lastName: "King", version: 3 });

    await trpc.users.delete.mutate({ userId: user.userId, expectedVersion: 3 });
    expect(await codeOf(trpc.users.get.query({ userId: user.userId }))).toBe("USER_NOT_FOUND");
  });

  it("status, roles and the audit trail", async () => {
    const user = await trpc.users.create.mutate(newUserBody());
    await trpc.users.setStatus.mutate({ userId: user.userId, status: "pending" });
    const withRole = await trpc.users.addRole.mutate({ userId: user.userId, role: "moderator" });
    expect(withRole.roles).toEqual(["customer", "moderator"]);
    const without = await trpc.users.removeRole.mutate({ userId: user.userId, role: "customer" });
    expect(without).toMatchObject({ roles: ["moderator"], status: "pending", version: 4 });
    const audit = await trpc.users.audit.query({ userId: user.userId, limit: 2 });
    expect(audit.items.map((e) => e.type)).toEqual(["user.role_removed", "user.role_added"]);
    const rest = await trpc.users.audit.query({ userId: user.userId, cursor: audit.nextCursor! });
    expect(rest.items.map((e) => e.type)).toEqual(["user.status_changed", "user.created"]);
    expect(rest.nextCursor).toBeNull();
  });

  it("lists with filters and cursors, batched in one request", async () => {
    const made = await Promise.all([1, 2, 3].map(() => batched.users.create.mutate(newUserBody())));
    const [page, one] = await Promise.all([
      batched.users.list.query({ limit: 2 }),
      batched.users.list.query({ email: made[0]!.email }),
    ]);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(one.items.map((u) => u.userId)).toEqual([made[0]!.userId]);
    expect(await codeOf(trpc.users.list.query({ cursor: "forged.cursor" }))).toBe("INVALID_CURSOR");
  });

  it("carries the contract's code, issues and request id in error.data", async () => {
    try {
      await trpc.users.create.mutate({ ...newUserBody(), email: "nope" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TRPCClientError);
      const data = (error as TRPCClientError<AppRouter>).data as Record<string, unknown>;
      expect(data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400, issues: [{ path: "email", message: expect.any(String) }] });
      expect(data.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(data)).not.toMatch(/stack/);
    }
    const body = newUserBody();
    await trpc.users.create.mutate(body);
    expect(await codeOf(trpc.users.create.mutate(body))).toBe("EMAIL_TAKEN");
  });
});
