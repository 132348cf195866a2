// Sending a mail over the académie's SMTP server (nodemailer). One transport per process, pooled:
// a sweep may send a few hundred mails the morning after SIECLE's night.
import nodemailer from 'nodemailer';
import type { MailSettings } from '../config/settings';

export interface OutgoingMail {
  to: readonly string[];
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpMailer(settings: Pick<MailSettings, 'smtp' | 'from'>): Mailer {
  const { host, port, secure, user, password } = settings.smtp;
  const transport = nodemailer.createTransport({
    host, port, secure, pool: true, maxConnections: 2,
    ...(user && { auth: { user, pass: password ?? '' } }),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      // base64 text: accents survive every relay; the mail is plain text only (no HTML, no tracking).
      await transport.sendMail({ from: settings.from, to: [...mail.to], subject: mail.subject, text: mail.text, textEncoding: 'base64' });
    },
    close: () => transport.close(),
  };
}
