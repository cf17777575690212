// HTTP contract of the browser login (SPEC section 6), shared by the platform routes and the
// client-side login flow.
import { z } from 'zod';
import { NO_CONTROL_CHARACTERS, SINGLE_LINE } from './text.js';

export const LoginSessionRequestSchema = z.object({
  client_name: z.string().trim().min(1).max(100).regex(SINGLE_LINE, NO_CONTROL_CHARACTERS).optional().describe('Shown on the login page and in the key name'),
});

export const LoginSessionSchema = z.object({
  session_id: z.string().describe('Secret held only by the client; send it to /auth/session/poll'),
  user_code: z.string().describe('Short code shown to the user, e.g. BCDF-GHJK'),
  verification_url: z.string(),
  interval: z.number().int().positive().describe('Seconds between polls'),
  expires_in: z.number().int().positive().describe('Seconds until the session expires'),
});
export type LoginSession = z.infer<typeof LoginSessionSchema>;

export const LoginPollRequestSchema = z.object({ session_id: z.string().min(1).max(200) });

export const LoginPollSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), interval: z.number() }),
  z.object({ status: z.literal('slow_down'), interval: z.number() }),
  z.object({ status: z.literal('expired'), message: z.string() }),
  z.object({
    status: z.literal('complete'),
    api_key: z.string(),
    key_id: z.string(),
    email: z.string(),
    org_id: z.string(),
  }),
]);
export type LoginPoll = z.infer<typeof LoginPollSchema>;

/** Control characters are no part of an address (and must never reach a mail header). */
export const EMAIL_PATTERN = /^[^\s@\u0000-\u001f\u007f-\u009f]+@[^\s@\u0000-\u001f\u007f-\u009f]+\.[^\s@\u0000-\u001f\u007f-\u009f]+$/;

export const LoginOtpRequestSchema = z.object({
  user_code: z.string().max(20),
  email: z.string().trim().max(254).regex(EMAIL_PATTERN, 'must be an email address'),
});

export const LoginVerifyRequestSchema = z.object({
  user_code: z.string().max(20),
  // People paste "123 456" or "123-456"; only the digits count.
  code: z
    .string()
    .max(20)
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the mail')),
});
