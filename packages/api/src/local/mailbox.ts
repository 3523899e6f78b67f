/**
 * The local stand-in for an inbox: `npm start` writes each outgoing message as one JSON file in
 * `$DATA_DIR/mailbox/` (`{ to, subject, text, html, kind, createdAt }`) and prints one line with the
 * link, so a developer can follow it. Only the local runtime has it; deployed, mail goes through SES.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Account } from "@users/core";

/** The first http(s) link of a plain-text body. */
export const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? null;

export function mailboxTransport(
  directory: string,
  announce: (line: string) => void = (line) => console.log(line),
): Account.MailTransport {
  return {
    async send(message) {
      await mkdir(directory, { recursive: true });
      const name = `${message.createdAt.replace(/[:.]/g, "-")}-${message.kind}-${randomUUID().slice(0, 8)}.json`;
      const file = join(directory, name);
      const { to, subject, text, html, kind, createdAt } = message;
      // Written aside and renamed, so a reader never sees half a message.
      const partial = join(directory, `.${name}.partial`);
      await writeFile(partial, `${JSON.stringify({ to, subject, text, html, kind, createdAt }, null, 2)}\n`, { flag: "wx" });
      await rename(partial, file);
      announce(`mail   ${kind.padEnd(14)} to ${to}  ${linkIn(text) ?? ""}  (${file})`);
    },
  };
}
