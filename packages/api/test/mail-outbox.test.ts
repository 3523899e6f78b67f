/**
 * The mail outbox at rest: what a queued message says (its link, so a token, and the greeting name) is
 * sealed with a data key of its own, and the sender opens it. No sender runs in this file, so the items
 * stay in the table until the test hands their stream records to `deliverOutboxRecords`.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { Account, User, withContext } from "@users/core";
import type { StreamRecord } from "@users/core/events/index";
import { db } from "@users/core/store/service";
import { scanTable } from "./helpers/table-scan.ts";

const system = { actor: { kind: "system" as const, name: "mail-outbox-test" } };

const outboxItems = async (address: string) => (await scanTable()).filter((item) => item.__edb_e__ === "mailOutbox" && item.to === address);

/** The stream record of an item's insertion, as the mail sender gets it. */
const record = (item: Record<string, unknown>, sequence: string): StreamRecord =>
  ({ eventID: sequence, eventName: "INSERT", dynamodb: { NewImage: marshall(item), SequenceNumber: sequence } }) as StreamRecord;

function recordingTransport() {
  const sent: Account.MailMessage[] = [];
  return { sent, transport: { send: async (message: Account.MailMessage) => void sent.push(message) } };
}

async function signUp(firstName: string) {
  const email = `outbox.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await withContext(system, () => User.create({ email, password: "correct horse battery", firstName, lastName: "Byron" }));
  const [image] = await outboxItems(email);
  expect(image, "the verification message queued by the sign-up").toBeDefined();
  return { email, user, image: image! };
}

/** Puts an outbox item as given (an old one, or one tampered with). */
async function putOutboxItem(item: Record<string, unknown>) {
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  await db().mailOutbox.put({ kind: "verify-email", createdAt: new Date().toISOString(), expiresAt, ...item } as never).go();
  return (await outboxItems(item.to as string))[0]!;
}

describe("mail outbox", () => {
  it("holds only the address in the clear; the sender opens the rest and sends the link", async () => {
    const { email, user, image } = await signUp("Augusta");
    expect(image.sealedData).toMatch(/^v1\./);
    expect(image.wrappedKey).toMatch(/^local:v1\./);
    expect(image.data).toBeUndefined();
    expect(JSON.stringify(image)).not.toMatch(/token=|#\/verify-email|Augusta/);

    const { sent, transport } = recordingTransport();
    const result = await Account.deliverOutboxRecords([record(image, "1")], transport);
    expect(result).toMatchObject({ sent: 1, skipped: 0, failures: [] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(email);
    expect(sent[0]!.text).toContain("Augusta");
    const token = /#\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)![1]!;
    // The link carries the token whose hash is stored, and the sent message is gone.
    const { data: stored } = await db().oneTimeToken.get({ tokenHash: Account.hashToken(token) }).go({ consistent: true });
    expect(stored).toMatchObject({ userId: user.userId, purpose: "verify-email" });
    expect(await outboxItems(email)).toEqual([]);
  });

  it("does not open in another item: the box and its key are bound to the message id", async () => {
    const { image } = await signUp("Charles");
    const other = await signUp("Annabella");
    const messageId = other.image.messageId as string;
    await db().mailOutbox.delete({ messageId }).go();
    const moved = await putOutboxItem({ messageId, to: other.email, sealedData: image.sealedData, wrappedKey: image.wrappedKey });
    const { sent, transport } = recordingTransport();
    const result = await Account.deliverOutboxRecords([record(moved, "2")], transport);
    expect(sent).toEqual([]);
    expect(result.failures).toHaveLength(1);
    // Its own box under the other message's key does not open either.
    await db().mailOutbox.delete({ messageId }).go();
    const mixed = await putOutboxItem({ messageId, to: other.email, sealedData: other.image.sealedData, wrappedKey: image.wrappedKey });
    expect((await Account.deliverOutboxRecords([record(mixed, "3")], transport)).failures).toHaveLength(1);
    expect(sent).toEqual([]);
  });

  it("still sends a message queued before sealing (the data in the clear)", async () => {
    const legacy = await putOutboxItem({
      messageId: "before-sealing-1",
      to: "legacy@example.com",
      kind: "password-reset",
      data: { appName: "Acme", link: "https://console.example.test/#/reset-password?token=legacy", firstName: "Lord", validHours: 1 },
    });
    const { sent, transport } = recordingTransport();
    expect(await Account.deliverOutboxRecords([record(legacy, "4")], transport)).toMatchObject({ sent: 1, failures: [] });
    expect(sent[0]!.text).toContain("token=legacy");
    expect(await outboxItems("legacy@example.com")).toEqual([]);
  });
});
