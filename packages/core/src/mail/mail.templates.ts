import type { MailKind } from "../store/entities/mail-outbox.entity.ts";

/** What a template is filled with. Nothing secret but the link. */
export interface MailData {
  appName: string;
  link: string;
  firstName: string;
  validHours: number;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Template {
  subject: (d: MailData) => string;
  /** Paragraphs before the link. */
  intro: (d: MailData) => string[];
  action: string;
  /** Paragraphs after the link. */
  outro: (d: MailData) => string[];
}

const validity = (hours: number) => (hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : hours === 1 ? "1 hour" : `${hours} hours`);

const templates: Record<MailKind, Template> = {
  "verify-email": {
    subject: (d) => `Confirm your email address for ${d.appName}`,
    intro: (d) => [`Hello ${d.firstName},`, `Please confirm that this is your email address for ${d.appName}.`],
    action: "Confirm my email address",
    outro: (d) => [`The link works once and for ${validity(d.validHours)}.`, "If you did not ask for this, ignore this message."],
  },
  "password-reset": {
    subject: (d) => `Reset your ${d.appName} password`,
    intro: (d) => [`Hello ${d.firstName},`, `Someone asked to reset the password of your ${d.appName} account.`],
    action: "Choose a new password",
    outro: (d) => [
      `The link works once and for ${validity(d.validHours)}. Setting a new password signs you out everywhere.`,
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ],
  },
  invitation: {
    subject: (d) => `You are invited to ${d.appName}`,
    intro: (d) => [`Hello ${d.firstName},`, `An administrator created a ${d.appName} account for you.`],
    action: "Choose a password and sign in",
    outro: (d) => [`The link works once and for ${validity(d.validHours)}.`],
  },
};

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The plain-text and HTML bodies of a message. */
export function renderMail(kind: MailKind, data: MailData): RenderedMail {
  const t = templates[kind];
  const subject = t.subject(data);
  const intro = t.intro(data);
  const outro = t.outro(data);
  const text = [...intro, `${t.action}:\n${data.link}`, ...outro, `— ${data.appName}`].join("\n\n") + "\n";
  const paragraph = (p: string) => `<p>${escapeHtml(p)}</p>`;
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 36em">',
    ...intro.map(paragraph),
    `<p><a href="${escapeHtml(data.link)}">${escapeHtml(t.action)}</a></p>`,
    `<p style="font-size: 0.9em">Or open this address: ${escapeHtml(data.link)}</p>`,
    ...outro.map(paragraph),
    `<p>— ${escapeHtml(data.appName)}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
