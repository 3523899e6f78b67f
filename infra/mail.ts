/**
 * Outgoing mail (verification, password reset, invitations). The API never sends: the account flows
 * write an outbox item, and this sender — a Lambda on the table's stream, invoked only for new outbox
 * items — sends it through Amazon SES and deletes it. Same shape as the audit relay (infra/events.ts):
 * batches bisected on error, bounded retries, then the failed batch's description in a dead-letter queue.
 *
 *   EMAIL_FROM  the sender, required: an address (SES mails it a confirmation link) or a domain (SES
 *               gives DNS records to add; with a Route 53 zone SST adds them). Until SES takes the
 *               account out of its sandbox, mail goes only to verified addresses.
 */
import { nodeEnvironment, nodeFunction } from "./bundling";
import { outboxStreamFilter } from "../packages/core/src/mail/outbox-wiring";
import { deadLetterQueue } from "./events";
import { handlers } from "./handlers";
import { dataKey } from "./keys";
import { table } from "./storage";

const sender = process.env.EMAIL_FROM?.trim();
if (!sender) {
  throw new Error("EMAIL_FROM is not set: outgoing mail needs a sender address or domain (see infra/mail.ts)");
}

/** The SES identity mail is sent from. */
export const email = new sst.aws.Email("Email", { sender });

/** Outbox batches the sender gave up on (shard and sequence range; the items stay until their TTL). */
export const mailSenderDlq = deadLetterQueue("MailSenderDlq");

export const mailSender = table.subscribe(
  "MailSender",
  {
    ...nodeFunction,
    handler: handlers.mailSender,
    // One SES call and two small DynamoDB calls per message.
    memory: "256 MB",
    // A batch of 10 messages sent one after another, with room for the SDK's retries.
    timeout: "30 seconds",
    // The table to read and delete outbox items; the identity for ses:SendEmail and its address.
    link: [table, email],
    // What a message says is sealed with a data key of its own, wrapped by the KMS key: the sender
    // unwraps it.
    environment: { ...nodeEnvironment, EMAIL_FROM: email.sender, KMS_KEY_ID: dataKey.arn },
    permissions: [
      { actions: ["sqs:SendMessage"], resources: [mailSenderDlq.arn] },
      { actions: ["kms:Decrypt"], resources: [dataKey.arn] },
    ],
  },
  {
    filters: [outboxStreamFilter],
    transform: {
      eventSourceMapping: (args) => {
        args.startingPosition = "TRIM_HORIZON";
        args.batchSize = 10;
        args.bisectBatchOnFunctionError = true;
        args.maximumRetryAttempts = 5;
        // An outbox item lives a day; a message this late is not worth sending.
        args.maximumRecordAgeInSeconds = 6 * 60 * 60;
        args.functionResponseTypes = ["ReportBatchItemFailures"];
        args.destinationConfig = { onFailure: { destinationArn: mailSenderDlq.arn } };
      },
    },
  },
);
