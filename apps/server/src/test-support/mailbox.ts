/** A real SMTP server on 127.0.0.1 (smtp-server) that keeps what it receives, parsed. */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailbox {
  url: string;
  readonly received: ReceivedEmail[];
  /** The first email to `to` whose subject matches, waiting for it to arrive. */
  waitFor(to: string, subject: RegExp, timeoutMs?: number): Promise<ReceivedEmail>;
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const received: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          for (const to of session.envelope.rcptTo)
            received.push({ to: to.address, subject: mail.subject ?? '', text: mail.text ?? '' });
          for (const wake of waiters) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor(to, subject, timeoutMs = 10_000) {
      const find = () => received.find((email) => email.to === to && subject.test(email.subject));
      return new Promise((resolve, reject) => {
        const check = () => {
          const email = find();
          if (!email) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(email);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No email "${subject.source}" reached ${to} within ${timeoutMs} ms.`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
