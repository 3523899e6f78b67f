import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { config } from "../config.ts";
import { accountConfig } from "./account.config.ts";
import type { MailMessage, MailTransport } from "./mail.sender.ts";

/** Sends through Amazon SES from EMAIL_FROM (deployed: the `Email` component's verified identity). */
export function sesTransport(client = new SESv2Client({ region: config().region })): MailTransport {
  return {
    async send(message: MailMessage) {
      const from = accountConfig().emailFrom;
      if (!from) throw new Error("EMAIL_FROM is not set; the mail sender cannot send");
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
            },
          },
        }),
      );
    },
  };
}
