/**
 * The mail sender inside `npm start`: a second reader of the local table's stream (the same
 * `StreamPoller` as the audit relay, with its own checkpoint, as in AWS each subscriber has its own event
 * source mapping), sending new outbox items through the same code as the Lambda
 * (`mail/sender-handler.ts`) into the local mailbox.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Account } from "@users/core";
import { fileCheckpointStore, memoryCheckpointStore } from "./checkpoint.ts";
import { StreamPoller } from "./stream-poller.ts";
import { sendBatch } from "../mail/sender-handler.ts";
import { mailboxTransport } from "./mailbox.ts";

export interface LocalMailSenderOptions {
  tableName: string;
  /** Where each message is written as a JSON file. */
  mailboxDir: string;
  /** Where the checkpoint and dead letters are kept; null keeps the checkpoint in memory. */
  stateDir: string | null;
  /** The one line per message (default: the console). */
  announce?: (line: string) => void;
  /** Another transport instead of the mailbox (tests). */
  transport?: Account.MailTransport;
  idleDelayMs?: number;
}

export interface LocalMailSender {
  description: string;
  poller: StreamPoller;
  stop(): Promise<void>;
}

export function startLocalMailSender(options: LocalMailSenderOptions): LocalMailSender {
  const transport = options.transport ?? mailboxTransport(options.mailboxDir, options.announce);
  const checkpoints = options.stateDir
    ? fileCheckpointStore(join(options.stateDir, "mail-sender-checkpoints.json"))
    : memoryCheckpointStore();
  const deadLetterFile = options.stateDir ? join(options.stateDir, "mail-sender-dead-letters.jsonl") : null;
  const poller = new StreamPoller({
    tableName: options.tableName,
    checkpoints,
    handleRecords: (records) => sendBatch(records, transport),
    idleDelayMs: options.idleDelayMs,
    maxRetries: 10,
    // Like the Lambda's on-failure destination: which records failed, not their content (a link with a token).
    deadLetter: async (records, shardId, streamArn) => {
      const lines = records.map((record) =>
        JSON.stringify({
          at: new Date().toISOString(),
          streamArn,
          shardId,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          eventName: record.eventName,
        }),
      );
      if (deadLetterFile) {
        await mkdir(options.stateDir!, { recursive: true });
        await appendFile(deadLetterFile, `${lines.join("\n")}\n`);
      } else {
        for (const line of lines) console.error(`mail dead letter ${line}`);
      }
    },
  });
  poller.start();
  return { description: `written to ${options.mailboxDir}`, poller, stop: () => poller.stop() };
}
