// Browser login (SPEC section 6): a device-authorization flow. The client creates a session and
// polls it; the person confirms in the browser with an emailed 6-digit code. GET never changes
// anything (mail scanners follow links), only the page's POSTs do. This file is the transport and
// the page's words; the sessions, codes and budgets are the sign-in service's.
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { AppError } from 'invoker-mcp/errors.js';
import {
  LoginOtpRequestSchema,
  LoginPollRequestSchema,
  LoginSessionRequestSchema,
  LoginVerifyRequestSchema,
} from 'invoker-mcp/contract/login.js';
import type { KeysService } from '../../services/keys.js';
import { START_AGAIN, type SignInLookup, type SignInService, type SignInTicket } from '../../services/sign-in.js';
import { requireKey } from '../auth.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps, AppEnv } from '../context.js';
import { describeZodError, errorResponse } from '../http-errors.js';
import { LOGIN_PAGE_CSP, renderLoginPage, type LoginView } from '../login-page.js';
import { readFormBody, readJson } from '../validate.js';

type EndedView = { kind: 'ended'; message: string };

export function authRoutes(deps: AppDeps, signIn: SignInService, keys: KeysService): Hono<AppEnv> {
  const depth = deps.limits.jsonDepth;
  const ip = (c: Context) => clientIp(c, deps.trustProxy);
  const endedView = (why: Extract<SignInLookup, { state: 'ended' }>['why']): EndedView => {
    if (why === 'failed') return { kind: 'ended', message: `Too many wrong codes: this sign-in has ended. ${START_AGAIN}` };
    if (why === 'complete') return { kind: 'ended', message: `This sign-in is already complete. You can close this tab.` };
    return { kind: 'ended', message: `This sign-in expired (codes last ${signIn.ttlText()}). ${START_AGAIN}` };
  };
  const emailView = (ticket: SignInTicket, message?: string): LoginView => ({
    kind: 'email',
    userCode: ticket.userCode,
    clientName: ticket.clientName,
    createdAt: ticket.createdAt,
    ...(message === undefined ? {} : { message }),
  });

  const app = new Hono<AppEnv>();

  app.post('/auth/session', async (c) => {
    const session = await signIn.openForDevice(ip(c), async () => (await readJson(c, LoginSessionRequestSchema, depth)).client_name ?? 'Invoker client');
    return c.json(session, 201);
  });

  app.post('/auth/session/poll', async (c) => {
    const body = await readJson(c, LoginPollRequestSchema, depth);
    return c.json(await signIn.poll(body.session_id));
  });

  app.get('/auth/login', async (c) => {
    const raw = c.req.query('code');
    if (!raw) return page(c, { kind: 'ask_user_code' });
    const found = await signIn.findByUserCode(raw);
    if (found.state === 'unknown') return page(c, { kind: 'ask_user_code', message: 'That code is not valid. Check the code your app shows and type it again.' }, 404);
    if (found.state === 'ended') return page(c, endedView(found.why), 410);
    return page(c, emailView(found.ticket));
  });

  app.post('/auth/otp', async (c) => {
    const html = !isJson(c);
    const read = await readInput(c, LoginOtpRequestSchema, depth);
    if (!read.ok) return invalidForm(c, html, read, 'email');
    const input = read.data;
    const ticket = await liveTicket(c, html, input.user_code);
    if (ticket instanceof Response) return ticket;
    const email = input.email.toLowerCase();
    const limited = await signIn.spendCodeBudget('login', ip(c), email);
    if (limited) return reply(c, html, emailView(ticket, limited.message), limited);
    await signIn.sendCode('login', ticket, email);
    // The same answer whether or not the address has an account: the first login creates it.
    const view: LoginView = { kind: 'code', userCode: ticket.userCode, clientName: ticket.clientName, email };
    return html ? page(c, view) : c.json({ status: 'code_sent', email });
  });

  app.post('/auth/verify', async (c) => {
    const html = !isJson(c);
    // Counted before anything is read: guessing user codes here costs the same budget as guessing codes.
    const limitedEarly = await signIn.spendVerifyBudget('login', ip(c));
    const read = await readInput(c, LoginVerifyRequestSchema, depth);
    if (!read.ok) return invalidForm(c, html, read, 'code');
    const input = read.data;
    const ticket = await liveTicket(c, html, input.user_code);
    if (ticket instanceof Response) return ticket;
    const { email } = ticket;
    if (!email || !ticket.codeSent) {
      return reply(c, html, emailView(ticket, 'Ask for a code first.'), new AppError('invalid_input', 'No code was sent for this sign-in yet: POST /auth/otp first.'));
    }
    const codeView = (message: string): LoginView => ({ kind: 'code', userCode: ticket.userCode, clientName: ticket.clientName, email, message });
    if (limitedEarly) return reply(c, html, codeView(limitedEarly.message), limitedEarly);
    const verdict = await signIn.checkCode(ticket, input.code);
    if (verdict.outcome === 'ended') {
      const message = `Too many wrong codes: this sign-in has ended. ${START_AGAIN}`;
      return reply(c, html, { kind: 'ended', message }, new AppError('forbidden', message));
    }
    if (verdict.outcome === 'wrong') {
      const left = verdict.triesLeft;
      const message = `That code is wrong. Check the latest mail and try again (${left} ${left === 1 ? 'try' : 'tries'} left).`;
      return reply(c, html, codeView(message), new AppError('invalid_input', message));
    }
    if (verdict.outcome === 'used') {
      const message = `This sign-in has already been used. ${START_AGAIN}`;
      return reply(c, html, { kind: 'ended', message }, new AppError('conflict', message));
    }
    const view: LoginView = { kind: 'done', email: verdict.user.email, clientName: ticket.clientName };
    return html ? page(c, view) : c.json({ status: 'verified', email: verdict.user.email });
  });

  app.post('/auth/logout', requireKey(keys), async (c) => {
    await keys.revokeOwn(c.get('principal'));
    return c.body(null, 204);
  });

  /** A form the browser posted with a bad field: the same step again, saying what to fix. */
  async function invalidForm(c: Context, html: boolean, read: InvalidInput, step: 'email' | 'code'): Promise<Response> {
    if (!html) throw read.error;
    const message =
      step === 'email' ? 'That does not look like an email address. Type it again.' : 'Enter the 6 digits from the mail.';
    const found = await signIn.findByUserCode(typeof read.raw.user_code === 'string' ? read.raw.user_code : '');
    if (found.state === 'unknown') return page(c, { kind: 'ask_user_code', message: 'That sign-in code is not valid. ' + START_AGAIN }, 404);
    if (found.state === 'ended') return page(c, endedView(found.why), 410);
    const { ticket } = found;
    if (step === 'code' && ticket.email) {
      return page(c, { kind: 'code', userCode: ticket.userCode, clientName: ticket.clientName, email: ticket.email, message }, 400);
    }
    return page(c, emailView(ticket, message), 400);
  }

  /** The pending sign-in a user code names, or the page/answer that says why it cannot go on. */
  async function liveTicket(c: Context, html: boolean, rawUserCode: string): Promise<SignInTicket | Response> {
    const found = await signIn.findByUserCode(rawUserCode);
    if (found.state === 'unknown') {
      return reply(c, html, { kind: 'ask_user_code', message: 'That sign-in code is not valid. ' + START_AGAIN }, new AppError('not_found', `Unknown sign-in code. ${START_AGAIN}`));
    }
    if (found.state === 'ended') {
      const ended = endedView(found.why);
      return reply(c, html, ended, new AppError('not_found', ended.message));
    }
    return found.ticket;
  }

  return app;
}

function isJson(c: Context): boolean {
  return (c.req.header('content-type') ?? '').includes('application/json');
}

interface InvalidInput {
  ok: false;
  error: AppError;
  raw: Record<string, unknown>;
}

/** The page posts urlencoded forms; API callers send JSON. Both are validated by one schema. */
async function readInput<S extends z.ZodType>(c: Context, schema: S, depth: number): Promise<{ ok: true; data: z.infer<S> } | InvalidInput> {
  if (isJson(c)) return { ok: true, data: await readJson(c, schema, depth) };
  const body = await readFormBody(c);
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, error: new AppError('invalid_input', describeZodError(parsed.error)), raw: body };
  return { ok: true, data: parsed.data };
}

function page(c: Context, view: LoginView, status: 200 | 400 | 403 | 404 | 409 | 410 | 429 = 200): Response {
  c.header('Content-Security-Policy', LOGIN_PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(renderLoginPage(view), status);
}

/** A failure answered as the page again (browser form posts) or as the JSON error (API callers). */
function reply(c: Context, html: boolean, view: LoginView, error: AppError): Response {
  if (!html) return errorResponse(c, error);
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
  const status = ({ invalid_input: 400, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429 } as const)[
    error.code as 'invalid_input'
  ] ?? 400;
  return page(c, view, status);
}
