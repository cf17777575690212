// Browser login (SPEC section 6): a device-authorization flow. The client creates a session and
// polls it; the person confirms in the browser with an emailed 6-digit code. Session secrets, user
// codes and email codes are stored only as hashes; every step is single-use; GET never changes
// anything (mail scanners follow links), only the page's POSTs do.
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { AppError } from 'invoker-mcp/errors.js';
import {
  LoginOtpRequestSchema,
  LoginPollRequestSchema,
  LoginSessionRequestSchema,
  LoginVerifyRequestSchema,
  type LoginPoll,
  type LoginSession,
} from 'invoker-mcp/contract/login.js';
import type { LoginSessionRecord } from '../../store/store.js';
import { requireKey } from '../auth.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps, AppEnv } from '../context.js';
import { describeZodError, errorResponse } from '../http-errors.js';
import { issueApiKey } from '../keys.js';
import { LOGIN_PAGE_CSP, renderLoginPage, type LoginView } from '../login-page.js';
import { createLogMailer } from '../mailer.js';
import { createRateLimiter, type RateLimiter } from '../rate-limit.js';
import { readFormBody, readJson } from '../validate.js';
import { normaliseUserCode, sha256Hex } from '../login-secrets.js';
import { checkLoginCode, describeTtl, loginSettings, mailLoginCode, openLoginSession } from '../login-sessions.js';

const START_AGAIN = 'Start again from your app (call the login tool, or run `invoker-mcp login`).';

export function authRoutes(deps: AppDeps): Hono<AppEnv> {
  const settings = loginSettings(deps);
  const depth = deps.limits.jsonDepth;
  const mailer = deps.mailer ?? createLogMailer(deps.log);
  const clock = () => deps.now().getTime();
  const perMinute = (name: string, limit: number) => (deps.rateLimiters ?? createRateLimiter)({ name, limit, windowMs: 60_000, now: clock });
  const limits = {
    sessions: perMinute('login-sessions', settings.sessionsPerIp),
    codesByEmail: perMinute('login-codes-email', settings.codesPerEmail),
    codesByIp: perMinute('login-codes-ip', settings.codesPerIp),
    verify: perMinute('login-verify', settings.verifyPerIp),
  };
  const ip = (c: Context) => clientIp(c, deps.trustProxy);
  const isLive = (s: LoginSessionRecord) => Date.parse(s.expiresAt) > clock();
  const findByUserCode = async (raw: string) => {
    const userCode = normaliseUserCode(raw);
    if (!userCode) return null;
    const session = await deps.store.findLoginSessionByUserCodeHash(sha256Hex(userCode));
    return session ? { session, userCode } : null;
  };

  const app = new Hono<AppEnv>();

  app.post('/auth/session', async (c) => {
    await spend(limits.sessions, `ip:${ip(c)}`, 'Too many sign-in attempts from this address. Wait a minute, then try again.');
    const body = await readJson(c, LoginSessionRequestSchema, depth);
    const now = deps.now();
    await deps.store.deleteLoginSessionsExpiredBefore(new Date(now.getTime() - 24 * 3600_000).toISOString());
    const { secret, userCode } = await openLoginSession(deps.store, {
      clientName: body.client_name ?? 'Invoker client',
      now,
      ttlMs: settings.ttlSeconds * 1000,
    });
    const session: LoginSession = {
      session_id: secret,
      user_code: userCode,
      verification_url: loginLink(deps, userCode),
      interval: settings.intervalSeconds,
      expires_in: settings.ttlSeconds,
    };
    return c.json(session, 201);
  });

  app.post('/auth/session/poll', async (c) => {
    const body = await readJson(c, LoginPollRequestSchema, depth);
    const session = await deps.store.findLoginSessionBySecretHash(sha256Hex(body.session_id));
    const answer = (poll: LoginPoll) => c.json(poll);
    if (!session || session.status === 'consumed') {
      return answer({ status: 'expired', message: `This sign-in is finished or unknown. ${START_AGAIN}` });
    }
    if (session.status === 'failed') {
      return answer({ status: 'expired', message: `Sign-in ended after too many wrong codes. ${START_AGAIN}` });
    }
    if (!isLive(session)) {
      return answer({ status: 'expired', message: `Sign-in expired after ${describeTtl(settings)}. ${START_AGAIN}` });
    }
    if (session.status === 'verified') {
      // The atomic claim: of any number of concurrent polls, exactly one gets the key.
      if (!(await deps.store.consumeLoginSession(session.id)) || !session.userId || !session.orgId) {
        return answer({ status: 'expired', message: `This sign-in is finished. ${START_AGAIN}` });
      }
      const now = deps.now().toISOString();
      const issued = await issueApiKey(deps.store, {
        orgId: session.orgId,
        userId: session.userId,
        name: `${session.clientName} login ${now.slice(0, 10)}`,
        now,
      });
      return answer({ status: 'complete', api_key: issued.key, key_id: issued.record.id, email: session.email ?? '', org_id: session.orgId });
    }
    const now = clock();
    const last = session.lastPolledAt ? Date.parse(session.lastPolledAt) : 0;
    await deps.store.touchLoginSessionPoll(session.id, new Date(now).toISOString());
    // A second of slack for timers and network jitter.
    if (now - last < (settings.intervalSeconds - 1) * 1000) {
      return answer({ status: 'slow_down', interval: settings.intervalSeconds + 5 });
    }
    return answer({ status: 'pending', interval: settings.intervalSeconds });
  });

  app.get('/auth/login', async (c) => {
    const raw = c.req.query('code');
    if (!raw) return page(c, { kind: 'ask_user_code' });
    const found = await findByUserCode(raw);
    if (!found) return page(c, { kind: 'ask_user_code', message: 'That code is not valid. Check the code your app shows and type it again.' }, 404);
    const { session, userCode } = found;
    const ended = endedView(session);
    if (ended) return page(c, ended, 410);
    return page(c, { kind: 'email', userCode, clientName: session.clientName, createdAt: session.createdAt });
  });

  app.post('/auth/otp', async (c) => {
    const html = !isJson(c);
    const read = await readInput(c, LoginOtpRequestSchema, depth);
    if (!read.ok) return invalidForm(c, html, read, 'email');
    const input = read.data;
    const found = await liveSession(c, html, input.user_code);
    if (found instanceof Response) return found;
    const { session, userCode } = found;
    const email = input.email.toLowerCase();
    const limited =
      (await check(limits.codesByIp, `ip:${ip(c)}`)) ?? (await check(limits.codesByEmail, `email:${email}`));
    if (limited) {
      const view: LoginView = { kind: 'email', userCode, clientName: session.clientName, createdAt: session.createdAt, message: limited.message };
      return reply(c, html, view, limited);
    }
    await mailLoginCode(deps.store, mailer, { session, email, userCode, link: loginLink(deps, userCode) });
    // The same answer whether or not the address has an account: the first login creates it.
    const view: LoginView = { kind: 'code', userCode, clientName: session.clientName, email };
    return html ? page(c, view) : c.json({ status: 'code_sent', email });
  });

  app.post('/auth/verify', async (c) => {
    const html = !isJson(c);
    const limitedEarly = await check(limits.verify, `ip:${ip(c)}`);
    const read = await readInput(c, LoginVerifyRequestSchema, depth);
    if (!read.ok) return invalidForm(c, html, read, 'code');
    const input = read.data;
    const found = await liveSession(c, html, input.user_code);
    if (found instanceof Response) return found;
    const { session, userCode } = found;
    if (!session.email || !session.codeHash) {
      const view: LoginView = { kind: 'email', userCode, clientName: session.clientName, createdAt: session.createdAt, message: 'Ask for a code first.' };
      return reply(c, html, view, new AppError('invalid_input', 'No code was sent for this sign-in yet: POST /auth/otp first.'));
    }
    const codeView = (message: string): LoginView => ({ kind: 'code', userCode, clientName: session.clientName, email: session.email ?? '', message });
    if (limitedEarly) return reply(c, html, codeView(limitedEarly.message), limitedEarly);
    const verdict = await checkLoginCode(deps.store, {
      sessionId: session.id,
      email: session.email,
      codeHash: session.codeHash,
      code: input.code,
      maxAttempts: settings.maxCodeAttempts,
      now: deps.now().toISOString(),
    });
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
    const view: LoginView = { kind: 'done', email: verdict.user.email, clientName: session.clientName };
    return html ? page(c, view) : c.json({ status: 'verified', email: verdict.user.email });
  });

  app.post('/auth/logout', requireKey(deps), async (c) => {
    await deps.store.revokeApiKeyById(c.get('principal').key.id, deps.now().toISOString());
    return c.body(null, 204);
  });

  /** A form the browser posted with a bad field: the same step again, saying what to fix. */
  async function invalidForm(c: Context, html: boolean, read: InvalidInput, step: 'email' | 'code'): Promise<Response> {
    if (!html) throw read.error;
    const message =
      step === 'email' ? 'That does not look like an email address. Type it again.' : 'Enter the 6 digits from the mail.';
    const found = await findByUserCode(typeof read.raw.user_code === 'string' ? read.raw.user_code : '');
    if (!found) return page(c, { kind: 'ask_user_code', message: 'That sign-in code is not valid. ' + START_AGAIN }, 404);
    const { session, userCode } = found;
    const ended = endedView(session);
    if (ended) return page(c, ended, 410);
    if (step === 'code' && session.email) {
      return page(c, { kind: 'code', userCode, clientName: session.clientName, email: session.email, message }, 400);
    }
    return page(c, { kind: 'email', userCode, clientName: session.clientName, createdAt: session.createdAt, message }, 400);
  }

  /** The sign-in a user code names, or the page/answer that says why it cannot go on. */
  async function liveSession(c: Context, html: boolean, rawUserCode: string): Promise<{ session: LoginSessionRecord; userCode: string } | Response> {
    const found = await findByUserCode(rawUserCode);
    if (!found) return reply(c, html, { kind: 'ask_user_code', message: 'That sign-in code is not valid. ' + START_AGAIN }, notFound());
    const ended = endedView(found.session);
    if (ended) return reply(c, html, ended, new AppError('not_found', ended.message));
    return found;
  }

  function endedView(session: LoginSessionRecord): { kind: 'ended'; message: string } | null {
    if (session.status === 'failed') return { kind: 'ended', message: `Too many wrong codes: this sign-in has ended. ${START_AGAIN}` };
    if (session.status !== 'pending') return { kind: 'ended', message: `This sign-in is already complete. You can close this tab.` };
    if (!isLive(session)) return { kind: 'ended', message: `This sign-in expired (codes last ${describeTtl(settings)}). ${START_AGAIN}` };
    return null;
  }

  return app;
}

function loginLink(deps: AppDeps, userCode: string): string {
  return `${deps.urls.publicUrl}/auth/login?code=${encodeURIComponent(userCode)}`;
}

function notFound(): AppError {
  return new AppError('not_found', `Unknown sign-in code. ${START_AGAIN}`);
}

async function check(limiter: RateLimiter, key: string): Promise<AppError | null> {
  const decision = await limiter.hit(key);
  if (decision.allowed) return null;
  return new AppError('rate_limited', `Too many attempts. Wait ${decision.resetSeconds} seconds, then try again.`, {
    retryAfterSeconds: decision.resetSeconds,
  });
}

async function spend(limiter: RateLimiter, key: string, message: string): Promise<void> {
  const error = await check(limiter, key);
  if (error) throw new AppError('rate_limited', message, error.details);
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
