/**
 * The local mailbox for tests: the same sender `npm start` runs, reading the test table's stream and
 * writing JSON files into a temporary directory; helpers to wait for a message and follow its link.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll } from "vitest";
import { config } from "@users/core";
import { startLocalMailSender, type LocalMailSender } from "../../src/local/mail-sender.ts";

export interface StoredMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: "verify-email" | "password-reset" | "invitation";
  createdAt: string;
  file: string;
}

/** The token in a message's link (query parameter `token`, inside the console's hash route). */
export function tokenOf(message: Pick<StoredMessage, "text">): string {
  const link = /https?:\/\/\S+/.exec(message.text)?.[0];
  if (!link) throw new Error("no link in the message");
  const query = new URL(link).hash.split("?")[1] ?? "";
  const token = new URLSearchParams(query).get("token");
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export function useMailbox() {
  const directory = mkdtempSync(join(tmpdir(), "mailbox-"));
  const announced: string[] = [];
  const taken = new Set<string>();
  let sender: LocalMailSender | undefined;

  const mailbox = {
    directory,
    /** The console lines, one per message. */
    announced,
    /** Every message in the mailbox, oldest first. */
    all(): StoredMessage[] {
      return readdirSync(directory)
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => ({ ...(JSON.parse(readFileSync(join(directory, name), "utf8")) as Omit<StoredMessage, "file">), file: name }));
    },
    /** Messages to one address (of one kind). */
    to(address: string, kind?: StoredMessage["kind"]): StoredMessage[] {
      return mailbox.all().filter((m) => m.to === address && (!kind || m.kind === kind));
    },
    /** Waits for the next message to `address` of `kind` not returned before. */
    async next(address: string, kind: StoredMessage["kind"], timeoutMs = 15_000): Promise<StoredMessage> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = mailbox.to(address, kind).find((m) => !taken.has(m.file));
        if (found) {
          taken.add(found.file);
          return found;
        }
        await sleep(50);
      }
      throw new Error(`no ${kind} message to ${address} within ${timeoutMs} ms`);
    },
  };

  beforeAll(() => {
    sender = startLocalMailSender({
      tableName: config().tableName,
      mailboxDir: directory,
      stateDir: null,
      announce: (line) => announced.push(line),
      idleDelayMs: 50,
    });
  });
  afterAll(() => sender?.stop());
  return mailbox;
}
