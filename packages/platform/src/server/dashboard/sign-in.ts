// Dashboard sign-in: the same email + one-time-code check as the browser login (SPEC section 6),
// on the same login-session records and mailer, without a polling device. The pending sign-in is
// held in a short-lived HttpOnly cookie; the code is single-use and too many wrong codes end it
// (the login settings, shared with the browser login).
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { EMAIL_PATTERN } from 'invoker-mcp/contract/login.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps } from '../context.js';
import { sha256Hex } from '../login-secrets.js';
import { checkLoginCode, describeTtl, loginSettings, mailLoginCode, openLoginSession } from '../login-sessions.js';
import { createLogMailer } from '../mailer.js';
import { createRateLimiter } from '../rate-limit.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, type Html } from './layout.js';
import { readFormFields, sameOriginPosts, startSession } from './session.js';

const PENDING_COOKIE = 'invoker_signin';

function emailForm(message?: string, email = ''): Html {
  return page(
    { title: 'Sign in', notice: message ? { kind: 'error', text: message } : undefined },
    html`<h1>Sign in to Invoker</h1>
<div class="card">
<p>We will email you a 6-digit code. New here? Signing in creates your account.</p>
<form method="post" action="/dashboard/login">
<label for="email">Email</label>
<input id="email" type="email" name="email" autocomplete="email" required value="${email}">
<p><button type="submit">Email me a code</button></p>
</form>
</div>`,
  );
}

function codeForm(email: string, expiresIn: string, message?: string): Html {
  return page(
    { title: 'Enter your code', notice: message ? { kind: 'error', text: message } : { kind: 'info', text: `We sent a code to ${email} if it can receive mail. It expires in ${expiresIn}.` } },
    html`<h1>Enter your code</h1>
<div class="card">
<form method="post" action="/dashboard/login/code">
<label for="code">6-digit code</label>
<input id="code" class="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required>
<p><button type="submit">Sign in</button></p>
</form>
<p><a href="/dashboard/login">Use another email</a></p>
</div>`,
  );
}

export function signInRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const mailer = deps.mailer ?? createLogMailer(deps.log);
  const clock = () => deps.now().getTime();
  const perMinute = (name: string, limit: number) => (deps.rateLimiters ?? createRateLimiter)({ name, limit, windowMs: 60_000, now: clock });
  const settings = loginSettings(deps);
  const ttlMs = settings.ttlSeconds * 1000;
  const expiresIn = describeTtl(settings);
  const codesByEmail = perMinute('dashboard-codes-email', settings.codesPerEmail);
  const codesByIp = perMinute('dashboard-codes-ip', settings.codesPerIp);
  const verifyByIp = perMinute('dashboard-verify', settings.verifyPerIp);
  const ip = (c: Context) => clientIp(c, deps.trustProxy);
  const pendingCookie = (c: Context, secret: string) =>
    setCookie(c, PENDING_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: deps.urls.scheme === 'https', path: '/dashboard', maxAge: settings.ttlSeconds });

  app.use('*', sameOriginPosts(deps));

  app.get('/login', (c) => c.html(emailForm()));

  app.post('/login', async (c) => {
    const body = await readFormFields(c, DASHBOARD_FORMS.signIn).catch(() => null);
    if (!body) return c.html(emailForm('The form could not be read. Type your email again.'), 400);
    const email = (body.email ?? '').trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) return c.html(emailForm('Enter a valid email address, like you@example.com.', email), 400);
    const limited = !(await codesByIp.hit(`ip:${ip(c)}`)).allowed || !(await codesByEmail.hit(`email:${email}`)).allowed;
    if (limited) return c.html(emailForm('Too many codes requested. Wait a minute, then try again.', email), 429);
    const { session, secret, userCode } = await openLoginSession(deps.store, { clientName: 'Invoker dashboard', now: deps.now(), ttlMs });
    await mailLoginCode(deps.store, mailer, { session, email, userCode, link: `${deps.urls.publicUrl}/dashboard/login/code` });
    pendingCookie(c, secret);
    // The same answer whether or not the address has an account: the first sign-in creates it.
    return c.redirect('/dashboard/login/code', 303);
  });

  app.get('/login/code', async (c) => {
    const pending = await pendingSession(c);
    if (!pending) return c.redirect('/dashboard/login', 303);
    return c.html(codeForm(pending.email ?? 'your address', expiresIn));
  });

  app.post('/login/code', async (c) => {
    const pending = await pendingSession(c);
    if (!pending || !pending.email || !pending.codeHash) {
      return c.html(emailForm('That sign-in has ended. Ask for a new code.'), 400);
    }
    if (!(await verifyByIp.hit(`ip:${ip(c)}`)).allowed) return c.html(codeForm(pending.email, expiresIn, 'Too many tries. Wait a minute, then try again.'), 429);
    const body = await readFormFields(c, DASHBOARD_FORMS.signInCode).catch(() => null);
    if (!body) return c.html(codeForm(pending.email, expiresIn, 'The form could not be read. Type the code again.'), 400);
    const verdict = await checkLoginCode(deps.store, {
      sessionId: pending.id,
      email: pending.email,
      codeHash: pending.codeHash,
      code: (body.code ?? '').replace(/\s+/g, ''),
      maxAttempts: settings.maxCodeAttempts,
      now: deps.now().toISOString(),
    });
    if (verdict.outcome === 'ended') {
      deleteCookie(c, PENDING_COOKIE, { path: '/dashboard' });
      return c.html(emailForm('Too many wrong codes: that sign-in has ended. Ask for a new code.'), 400);
    }
    if (verdict.outcome === 'wrong') return c.html(codeForm(pending.email, expiresIn, `That code is not right. ${verdict.triesLeft} tries left.`), 400);
    // Single use: no device polls for this session, so it is consumed at once; a second submit of
    // the same code finds nothing pending.
    if (verdict.outcome === 'used' || !(await deps.store.consumeLoginSession(pending.id))) {
      return c.html(emailForm('That sign-in has ended. Ask for a new code.'), 400);
    }
    deleteCookie(c, PENDING_COOKIE, { path: '/dashboard' });
    await startSession(c, deps, verdict.user.id, verdict.org.id);
    return c.redirect('/dashboard', 303);
  });

  async function pendingSession(c: Context) {
    const secret = getCookie(c, PENDING_COOKIE);
    if (!secret) return null;
    const session = await deps.store.findLoginSessionBySecretHash(sha256Hex(secret));
    if (!session || session.status !== 'pending' || Date.parse(session.expiresAt) <= clock()) return null;
    return session;
  }

  return app;
}
