/**
 * Sending email: a port with an SMTP adapter (nodemailer) for real servers, and for a developer
 * running `npm run server` without SMTP settings, an adapter that writes each email to the log.
 */
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(email: Email): Promise<void>;
  close(): void;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(email) {
      await transport.sendMail({ from, ...email });
    },
    close: () => transport.close(),
  };
}

/** Development only: the email goes to the server's log instead of a mailbox. */
export function logMailer(logger: Logger): Mailer {
  return {
    async send(email) {
      logger.info(
        { email },
        `Email to ${email.to} (no SMTP_URL set, so it is only logged): ${email.subject}`,
      );
    },
    close: () => {},
  };
}
