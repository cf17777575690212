// Verification mail for the browser login (SPEC section 6). With INVOKER_SMTP_URL the code and the
// link go out over SMTP (plain text and HTML parts); without it, development mode writes them to the
// server's log instead, which main.ts announces loudly at start.
import { AppError } from 'invoker-mcp/errors.js';
import type { Logger } from '../logger.js';
import type { LoginCodeMail, LoginMailer, TextMail } from '../services/deps.js';
import { escapeHtml } from '../services/message-page.js';

export type { LoginCodeMail };

/** The services' LoginMailer, and which kind it is (main.ts warns loudly about the log). */
export interface Mailer extends LoginMailer {
  readonly kind: 'smtp' | 'log';
  sendText?(mail: TextMail): Promise<void>;
}


export function renderLoginMail(mail: LoginCodeMail): { subject: string; text: string; html: string } {
  const subject = `Your Invoker sign-in code: ${mail.code}`;
  const text =
    `Your Invoker sign-in code is ${mail.code}\n\n` +
    `Enter it on the sign-in page for ${mail.clientName} (request ${mail.userCode}):\n${mail.link}\n\n` +
    `The code expires in ${mail.expiresIn}. If you did not try to sign in, ignore this mail: nothing happens without the code.\n`;
  const html =
    `<p>Your Invoker sign-in code is</p><p style="font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(mail.code)}</p>` +
    `<p>Enter it on the <a href="${escapeHtml(mail.link)}">sign-in page</a> for ${escapeHtml(mail.clientName)} ` +
    `(request ${escapeHtml(mail.userCode)}).</p>` +
    `<p>The code expires in ${escapeHtml(mail.expiresIn)}. If you did not try to sign in, ignore this mail: nothing happens without the code.</p>`;
  return { subject, text, html };
}

export async function createSmtpMailer(smtpUrl: string, from: string): Promise<Mailer> {
  // Loaded on demand: only `serve` with SMTP configured needs nodemailer.
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async sendLoginCode(mail) {
      const { subject, text, html } = renderLoginMail(mail);
      try {
        await transport.sendMail({ from, to: mail.to, subject, text, html });
      } catch (e) {
        throw new AppError(
          'upstream',
          `Could not send the sign-in mail (${(e as Error).message}). Try again in a minute; if it keeps failing, the operator should check INVOKER_SMTP_URL.`,
        );
      }
    },
    async sendText(mail) {
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (e) {
        throw new AppError('upstream', `Could not send a mail to ${mail.to} (${(e as Error).message}). The operator should check INVOKER_SMTP_URL.`);
      }
    },
  };
}

/** Development mode: the code and link go to the server log, where the operator can read them. */
export function createLogMailer(log: Logger): Mailer {
  return {
    kind: 'log',
    async sendLoginCode(mail) {
      log.warn(`[dev mail] sign-in code for ${mail.to}: ${mail.code} (link: ${mail.link}). Set INVOKER_SMTP_URL to send real mail.`);
    },
    async sendText(mail) {
      // Only the subject: submissions are visitors' text, and confirmation links are secrets.
      log.warn(`[dev mail] not sent to ${mail.to} (set INVOKER_SMTP_URL): ${mail.subject}`);
    },
  };
}
