/**
 * The account flows end to end over HTTP, with the local mailbox: real sign-ups and changes queue
 * messages, the local sender (the same code as the Lambda) writes them as JSON files, and the tests
 * follow the links' tokens. Tokens are checked to be single use, to expire, and never to be stored or
 * logged in the clear.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Account, Observability, config } from "@users/core";
import { dynamo } from "@users/core/store/client";
import { db } from "@users/core/store/service";
import type { AppRouter } from "../src/index.ts";
import { newUserBody, useApiServer } from "./helpers/api-server.ts";
import { tokenOf, useMailbox, type StoredMessage } from "./helpers/mailbox.ts";
import { scanTable } from "./helpers/table-scan.ts";

process.env.APP_NAME = "Acme Accounts";
process.env.APP_URL = "https://console.example.test/";

/** Everything the service writes to stdout and stderr, or through the console, during this file. */
const output: string[] = [];
const restore: (() => void)[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    output.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restore.push(() => void (stream.write = write as typeof stream.write));
}
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method];
  console[method] = (...args: unknown[]) => {
    output.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    original(...args);
  };
  restore.push(() => void (console[method] = original));
}
afterAll(() => restore.forEach((undo) => undo()));

const api = useApiServer();
const mailbox = useMailbox();
/** Every token a message carried, for the final scan. */
const tokens = new Set<string>();

async function nextMail(address: string, kind: StoredMessage["kind"]) {
  const message = await mailbox.next(address, kind);
  const token = tokenOf(message);
  tokens.add(token);
  return { message, token };
}

const signUp = async (overrides: Record<string, unknown> = {}) => {
  const body = newUserBody(overrides);
  const res = await api.request("POST", "/v1/users", { body, token: null });
  expect(res.status).toBe(201);
  return { ...body, user: res.body, userId: res.body.userId as string };
};

/** Makes a stored token look as if its lifetime had passed (DynamoDB Local's TTL deletes late, if at all). */
async function expire(token: string) {
  const { Key, TableName } = db().oneTimeToken.get({ tokenHash: Account.hashToken(token) }).params<{
    Key: Record<string, string>;
    TableName: string;
  }>();
  await dynamo().send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: "SET expiresAt = :past",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":past": Math.floor(Date.now() / 1000) - 1 },
    }),
  );
}

const auditTypes = async (userId: string) =>
  ((await api.request("GET", `/v1/users/${userId}/audit`)).body.items as { type: string; changes: object }[]).map((e) => e.type);

describe("email verification", () => {
  it("sign-up sends a verify-email message whose link verifies the address once", async () => {
    const { email, userId, user } = await signUp();
    expect(user.emailVerified).toBe(false);
    const { message, token } = await nextMail(email, "verify-email");

    expect(Object.keys(message).sort()).toEqual(["createdAt", "file", "html", "kind", "subject", "text", "to"]);
    expect(message.subject).toBe("Confirm your email address for Acme Accounts");
    expect(message.text).toContain(`https://console.example.test/#/verify-email?token=${token}`);
    expect(message.html).toContain(`href="https://console.example.test/#/verify-email?token=${token}"`);
    expect(message.text).toContain("Hello Ada,");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(mailbox.announced.some((line) => line.includes(email) && line.includes(token))).toBe(true);

    const verified = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ userId, emailVerified: true, status: "active", version: 2 });
    expect((await api.request("GET", `/v1/users/${userId}`)).body.emailVerified).toBe(true);
    expect(await auditTypes(userId)).toContain("user.email_verified");

    const again = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: "INVALID_TOKEN", requestId: expect.any(String) });
  });

  it("an unknown, malformed or expired token is refused and changes nothing", async () => {
    const unknown = await api.request("POST", "/v1/auth/verify-email", { body: { token: "x".repeat(43) }, token: null });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe("INVALID_TOKEN");
    const empty = await api.request("POST", "/v1/auth/verify-email", { body: { token: "" }, token: null });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe("VALIDATION_FAILED");

    const { email, userId } = await signUp();
    const { token } = await nextMail(email, "verify-email");
    await expire(token);
    const expired = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe("INVALID_TOKEN");
    const user = await api.request("GET", `/v1/users/${userId}`);
    expect(user.body).toMatchObject({ emailVerified: false, version: 1 });
  });

  it("a token of another flow does not verify", async () => {
    const { email } = await signUp();
    await nextMail(email, "verify-email");
    expect((await api.request("POST", "/v1/auth/password-reset", { body: { email }, token: null })).status).toBe(202);
    const { token } = await nextMail(email, "password-reset");
    const res = await api.request("POST", "/v1/auth/verify-email", { body: { token }, token: null });
    expect(res.body.code).toBe("INVALID_TOKEN");
    // ...and was not spent by the attempt.
    const reset = await api.request("POST", "/v1/auth/password-reset/confirm", {
      body: { token, newPassword: "another good password" },
      token: null,
    });
    expect(reset.status).toBe(204);
  });

  it("every email change unverifies and sends a new message; a link to the old address no longer counts", async () => {
    const { email, password, userId } = await signUp();
    const first = await nextMail(email, "verify-email");
    await api.request("POST", "/v1/auth/verify-email", { body: { token: first.token }, token: null });
    const { accessToken } = await api.signIn(email, password);

    // Resend is for unverified addresses: nothing is sent now.
    expect((await api.request("POST", "/v1/auth/verify-email/resend", { token: accessToken })).status).toBe(202);

    const newEmail = newUserBody().email;
    const changed = await api.request("PATCH", `/v1/users/${userId}`, { body: { email: newEmail }, token: accessToken });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: newEmail, emailVerified: false });
    const toNew = await nextMail(newEmail, "verify-email");

    // A resend gives another working link; the first link to the new address still works too (until used).
    const resend = await api.request("POST", "/v1/auth/verify-email/resend", { token: accessToken });
    expect(resend.status).toBe(202);
    expect(resend.body).toBeUndefined();
    const resent = await nextMail(newEmail, "verify-email");
    expect(resent.token).not.toBe(toNew.token);

    // Back to the old address (PUT): the link sent to the new one is void now.
    const replaced = await api.request("PUT", `/v1/users/${userId}`, {
      body: { email, firstName: "Ada", lastName: "Lovelace" },
      token: accessToken,
    });
    expect(replaced.body).toMatchObject({ email, emailVerified: false });
    const back = await nextMail(email, "verify-email");
    expect((await api.request("POST", "/v1/auth/verify-email", { body: { token: resent.token }, token: null })).body.code).toBe(
      "INVALID_TOKEN",
    );
    const ok = await api.request("POST", "/v1/auth/verify-email", { body: { token: back.token }, token: null });
    expect(ok.body).toMatchObject({ email, emailVerified: true });
    // The sender's outbox only ever sent to the addresses in question, never one message twice.
    expect(mailbox.to(newEmail, "verify-email")).toHaveLength(2);
  });

  it("resend needs a signed-in user", async () => {
    const res = await api.request("POST", "/v1/auth/verify-email/resend", { token: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHENTICATED");
  });
});

describe("password reset", () => {
  it("the link sets a new password once and ends every session", async () => {
    const { email, password, userId } = await signUp();
    const one = await api.signIn(email, password);
    const two = await api.signIn(email, password);

    expect((await api.request("POST", "/v1/auth/password-reset", { body: { email: email.toUpperCase() }, token: null })).status).toBe(202);
    const { message, token } = await nextMail(email, "password-reset");
    expect(message.subject).toBe("Reset your Acme Accounts password");
    expect(message.text).toContain(`https://console.example.test/#/reset-password?token=${token}`);
    expect(message.text).toContain("1 hour");

    // A bad new password is refused before the token is spent.
    const weak = await api.request("POST", "/v1/auth/password-reset/confirm", { body: { token, newPassword: "short" }, token: null });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe("VALIDATION_FAILED");

    const done = await api.request("POST", "/v1/auth/password-reset/confirm", {
      body: { token, newPassword: "a brand new password" },
      token: null,
    });
    expect(done.status).toBe(204);

    for (const session of [one, two]) {
      expect((await api.request("GET", "/v1/auth/me", { token: session.accessToken })).status).toBe(401);
      const refreshed = await api.request("POST", "/v1/auth/refresh", { body: { refreshToken: session.refreshToken }, token: null });
      expect(refreshed.body.code).toBe("INVALID_REFRESH_TOKEN");
    }
    expect((await api.request("POST", "/v1/auth/login", { body: { email, password }, token: null })).status).toBe(401);
    await api.signIn(email, "a brand new password");
    expect(await auditTypes(userId)).toContain("user.password_reset");
    const event = (await api.request("GET", `/v1/users/${userId}/audit`)).body.items.find(
      (e: { type: string }) => e.type === "user.password_reset",
    );
    expect(event.changes).toEqual({ password: { changed: true } });

    const reused = await api.request("POST", "/v1/auth/password-reset/confirm", {
      body: { token, newPassword: "yet another password" },
      token: null,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe("INVALID_TOKEN");
  });

  it("an expired or unknown reset token is refused", async () => {
    const { email, password } = await signUp();
    await api.request("POST", "/v1/auth/password-reset", { body: { email }, token: null });
    const { token } = await nextMail(email, "password-reset");
    await expire(token);
    for (const attempt of [token, "not-a-token"]) {
      const res = await api.request("POST", "/v1/auth/password-reset/confirm", {
        body: { token: attempt, newPassword: "a brand new password" },
        token: null,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("INVALID_TOKEN");
    }
    await api.signIn(email, password); // unchanged
  });

  it("answers an unknown address the same way and sends nothing", async () => {
    const unknown = newUserBody().email;
    const res = await api.request("POST", "/v1/auth/password-reset", { body: { email: unknown }, token: null });
    expect(res.status).toBe(202);
    expect(res.body).toBeUndefined();
    // A later message to a known address arrives; by then nothing went to the unknown one.
    const { email } = await signUp();
    await api.request("POST", "/v1/auth/password-reset", { body: { email }, token: null });
    await nextMail(email, "password-reset");
    expect(mailbox.to(unknown)).toEqual([]);
  });

  it("takes about the same time for known and unknown addresses", async () => {
    const known = await signUp();
    const time = async (email: string) => {
      const started = performance.now();
      expect((await api.request("POST", "/v1/auth/password-reset", { body: { email }, token: null })).status).toBe(202);
      return performance.now() - started;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    // Three of each (the hourly limit), interleaved so load on the machine affects both alike.
    for (let i = 0; i < 3; i++) {
      knownTimes.push(await time(known.email));
      unknownTimes.push(await time(newUserBody().email));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    expect(Math.abs(k - u), `known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(Math.max(k, u) * 0.75 + 25);
  });

  it("sends at most 3 messages per address per hour, and still answers 202", async () => {
    const { email } = await signUp();
    for (let i = 0; i < 5; i++) {
      expect((await api.request("POST", "/v1/auth/password-reset", { body: { email }, token: null })).status).toBe(202);
    }
    for (let i = 0; i < 3; i++) await nextMail(email, "password-reset");
    // A message to another address, sent after these, arrives; still only three to this one.
    const other = await signUp();
    await nextMail(other.email, "verify-email");
    expect(mailbox.to(email, "password-reset")).toHaveLength(3);
  });
});

describe("invitations", () => {
  it("an admin's create without a password invites; the link sets the password and signs in", async () => {
    const body = newUserBody({ roles: ["moderator"] });
    delete (body as { password?: string }).password;
    const created = await api.request("POST", "/v1/users", { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "pending", emailVerified: false, roles: ["moderator"] });
    const userId = created.body.userId as string;
    expect(await auditTypes(userId)).toEqual(expect.arrayContaining(["user.created", "user.invited"]));

    const { message, token } = await nextMail(body.email, "invitation");
    expect(message.subject).toBe("You are invited to Acme Accounts");
    expect(message.text).toContain(`https://console.example.test/#/accept-invitation?token=${token}`);
    expect(message.text).toContain("7 days");
    // Before accepting, the account cannot sign in with anything.
    const early = await api.request("POST", "/v1/auth/login", { body: { email: body.email, password: "anything at all" }, token: null });
    expect(early.status).toBe(401);

    const accepted = await api.request("POST", "/v1/auth/invitations/accept", {
      body: { token, password: "my chosen password" },
      token: null,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      tokenType: "Bearer",
      expiresIn: 900,
      user: { userId, status: "active", emailVerified: true, roles: ["moderator"] },
    });
    const me = await api.request("GET", "/v1/auth/me", { token: accepted.body.accessToken });
    expect(me.body).toMatchObject({ userId, status: "active", emailVerified: true });
    await api.signIn(body.email, "my chosen password");

    const reused = await api.request("POST", "/v1/auth/invitations/accept", { body: { token, password: "my chosen password" }, token: null });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe("INVALID_TOKEN");
  });

  it("an expired or unknown invitation is refused", async () => {
    const body = newUserBody();
    delete (body as { password?: string }).password;
    expect((await api.request("POST", "/v1/users", { body })).status).toBe(201);
    const { token } = await nextMail(body.email, "invitation");
    await expire(token);
    for (const attempt of [token, "unknown-token"]) {
      const res = await api.request("POST", "/v1/auth/invitations/accept", { body: { token: attempt, password: "my chosen password" }, token: null });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("INVALID_TOKEN");
    }
  });

  it("only admins create users without a password", async () => {
    const body = newUserBody();
    delete (body as { password?: string }).password;
    const anonymous = await api.request("POST", "/v1/users", { body, token: null });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.issues).toEqual([expect.objectContaining({ path: "password" })]);
    const customer = await api.signedInUser(["customer"]);
    const asCustomer = await api.request("POST", "/v1/users", { body, token: customer.token });
    expect(asCustomer.status).toBe(400);
    const active = await api.request("POST", "/v1/users", { body: { ...body, status: "active" } });
    expect(active.status).toBe(400);
    expect(active.body.issues).toEqual([expect.objectContaining({ path: "status" })]);
    expect((await api.request("GET", `/v1/users?email=${encodeURIComponent(body.email)}`)).body.items).toEqual([]);
  });
});

describe("tRPC", () => {
  it("has every flow under auth", async () => {
    const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: api.url("/trpc") })] });
    const { email, password } = await signUp();
    const { token } = await nextMail(email, "verify-email");
    expect(await trpc.auth.verifyEmail.mutate({ token })).toMatchObject({ email, emailVerified: true });
    const failure = await trpc.auth.verifyEmail.mutate({ token }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TRPCClientError);
    expect((failure as TRPCClientError<AppRouter>).data).toMatchObject({ code: "INVALID_TOKEN", httpStatus: 400 });

    await trpc.auth.requestPasswordReset.mutate({ email });
    const reset = await nextMail(email, "password-reset");
    await trpc.auth.confirmPasswordReset.mutate({ token: reset.token, newPassword: "trpc new password" });
    const { accessToken } = await api.signIn(email, "trpc new password");
    expect(password).not.toBe("trpc new password");

    const signedIn = createTRPCClient<AppRouter>({
      links: [httpLink({ url: api.url("/trpc"), headers: { authorization: `Bearer ${accessToken}` } })],
    });
    await signedIn.auth.resendVerification.mutate();

    const body = newUserBody();
    delete (body as { password?: string }).password;
    const admin = createTRPCClient<AppRouter>({
      links: [httpLink({ url: api.url("/trpc"), headers: { authorization: `Bearer ${api.adminToken}` } })],
    });
    await admin.users.create.mutate(body);
    const invitation = await nextMail(body.email, "invitation");
    const pair = await trpc.auth.acceptInvitation.mutate({ token: invitation.token, password: "invited password" });
    expect(pair.user).toMatchObject({ email: body.email, status: "active", emailVerified: true });
  });
});

describe("secrecy", () => {
  beforeAll(async () => {
    // Every queued message has been sent and its outbox item deleted.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await scanTable()).some((item) => item.__edb_e__ === "mailOutbox")) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it("no token's plaintext is in the table or in the service's output; only its hash is stored", async () => {
    expect(tokens.size).toBeGreaterThanOrEqual(15);
    const items = await scanTable();
    expect(items.some((item) => item.__edb_e__ === "mailOutbox")).toBe(false);
    const table = JSON.stringify(items);
    // The capture sees what the service's logger writes.
    Observability.log.info("account-flows capture check", { tokens: tokens.size });
    const logs = output.join("\n");
    expect(logs).toContain("account-flows capture check");
    for (const token of tokens) {
      expect(table.includes(token), "token in the table").toBe(false);
      expect(logs.includes(token), "token in the output").toBe(false);
    }
    // Tokens not yet used are stored, as their SHA-256 only.
    const stored = items.filter((item) => item.__edb_e__ === "oneTimeToken").map((item) => item.tokenHash);
    const unused = [...tokens].map((token) => Account.hashToken(token)).filter((hash) => stored.includes(hash));
    expect(unused.length).toBeGreaterThan(0);
    for (const hash of unused) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // Audit events never mention a token or a link.
    const events = JSON.stringify(items.filter((item) => item.__edb_e__ === "auditEvent"));
    expect(events).not.toMatch(/token=|console\.example\.test/);
  });
});

