// Dashboard sign-in: the sign-in service's email + one-time-code check, as the browser login uses it
// (SPEC section 6), without a polling device. The pending sign-in is held in a short-lived HttpOnly
// cookie; the code is single-use and too many wrong codes end it (the login settings, shared with
// the browser login). This file holds the forms and their words.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { EMAIL_PATTERN } from 'invoker-mcp/contract/login.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps } from '../context.js';
import { servicesOf } from '../services-of.js';
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
  const { signIn, dashboardSessions } = servicesOf(deps);
  const app = new Hono();
  const ip = (c: Context) => clientIp(c, deps.trustProxy);
  const pendingCookie = (c: Context, secret: string) =>
    setCookie(c, PENDING_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: deps.urls.scheme === 'https', path: '/dashboard', maxAge: signIn.settings().ttlSeconds });

  app.use('*', sameOriginPosts(deps));

  app.get('/login', (c) => c.html(emailForm()));

  app.post('/login', async (c) => {
    const body = await readFormFields(c, DASHBOARD_FORMS.signIn).catch(() => null);
    if (!body) return c.html(emailForm('The form could not be read. Type your email again.'), 400);
    const email = (body.email ?? '').trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) return c.html(emailForm('Enter a valid email address, like you@example.com.', email), 400);
    if (await signIn.spendCodeBudget('dashboard', ip(c), email)) return c.html(emailForm('Too many codes requested. Wait a minute, then try again.', email), 429);
    const { secret } = await signIn.openWithCode('dashboard', 'Invoker dashboard', email);
    pendingCookie(c, secret);
    // The same answer whether or not the address has an account: the first sign-in creates it.
    return c.redirect('/dashboard/login/code', 303);
  });

  app.get('/login/code', async (c) => {
    const pending = await pendingSignIn(c);
    if (!pending) return c.redirect('/dashboard/login', 303);
    return c.html(codeForm(pending.email ?? 'your address', signIn.ttlText()));
  });

  app.post('/login/code', async (c) => {
    const pending = await pendingSignIn(c);
    const email = pending?.email;
    if (!pending || !email || !pending.codeSent) return c.html(emailForm('That sign-in has ended. Ask for a new code.'), 400);
    const expiresIn = signIn.ttlText();
    if (await signIn.spendVerifyBudget('dashboard', ip(c))) return c.html(codeForm(email, expiresIn, 'Too many tries. Wait a minute, then try again.'), 429);
    const body = await readFormFields(c, DASHBOARD_FORMS.signInCode).catch(() => null);
    if (!body) return c.html(codeForm(email, expiresIn, 'The form could not be read. Type the code again.'), 400);
    const verdict = await signIn.checkCode(pending, (body.code ?? '').replace(/\s+/g, ''));
    if (verdict.outcome === 'ended') {
      deleteCookie(c, PENDING_COOKIE, { path: '/dashboard' });
      return c.html(emailForm('Too many wrong codes: that sign-in has ended. Ask for a new code.'), 400);
    }
    if (verdict.outcome === 'wrong') return c.html(codeForm(email, expiresIn, `That code is not right. ${verdict.triesLeft} tries left.`), 400);
    // Single use: no device polls for this session, so it is claimed at once; a second submit of
    // the same code finds nothing pending.
    if (verdict.outcome === 'used' || !(await signIn.claim(pending.sessionId))) {
      return c.html(emailForm('That sign-in has ended. Ask for a new code.'), 400);
    }
    deleteCookie(c, PENDING_COOKIE, { path: '/dashboard' });
    await startSession(c, deps, dashboardSessions, verdict.user.id, verdict.org.id);
    return c.redirect('/dashboard', 303);
  });

  function pendingSignIn(c: Context) {
    const secret = getCookie(c, PENDING_COOKIE);
    return secret ? signIn.findPendingBySecret(secret) : Promise.resolve(null);
  }

  return app;
}
