import type { Logger } from '@keel/kernel';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the message is about (invitation, password reset, email verification). */
  link: string;
}

/**
 * How central sends email: a port. The development mailer below writes each message to the log;
 * a real provider (SES, Postmark, …) is one more implementation of `send`, chosen in composition.
 */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

/** Logs messages instead of sending them (development and tests): the link is in the log line. */
export function createLogMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.info({ email: message }, `email to ${message.to} (development mailer: logged, not sent)`);
    },
  };
}
