// The claim page (SPEC section 14): the claim_url of an anonymous deploy, on the dashboard's origin
// (never a site host). Opening it changes nothing; it says which site it keeps and until when. A
// signed-in person keeps it in the selected org with one button (CSRF-checked); anyone else signs
// in with the emailed code (the sign-in service, as the dashboard's own sign-in) and the same POST
// that checks the code claims the site into their personal org and starts their dashboard session.
// The token travels in the page's forms, never in a cookie; the pending sign-in in an HttpOnly cookie.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { EMAIL_PATTERN } from 'invoker-mcp/contract/login.js';
import type { Site } from 'invoker-mcp/contract/sites.js';
import { AppError } from 'invoker-mcp/errors.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps } from '../context.js';
import { servicesOf } from '../services-of.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, when, type Html } from './layout.js';
import { readFormFields, sameOriginPosts, sessionCookieName, startSession } from './session.js';
import { sameHash, sha256Hex } from '../../services/login-secrets.js';
import { claimCodeUrl, claimUrl } from '../../services/anonymous.js';

const PENDING_COOKIE = 'invoker_claim_signin';
const COOKIE_PATH = '/dashboard/claim';

type Notice = { kind: 'error' | 'info'; text: string } | undefined;

const what = (site: Site, expiresAt: string) =>
  html`<p><strong>${site.title ?? site.slug}</strong> at <a href="${site.url}">${site.url}</a> was deployed without an account. It is deleted ${when(expiresAt)} unless someone keeps it.</p>`;

function emailPage(id: string, token: string, site: Site, expiresAt: string, notice?: Notice, email = ''): Html {
  return page(
    { title: 'Keep this site', notice },
    html`<h1>Keep this site</h1>
<div class="card">
${what(site, expiresAt)}
<p>Sign in to keep it in your account. We will email you a 6-digit code; signing in the first time creates your account.</p>
<form method="post" action="/dashboard/claim/${id}/email">
<input type="hidden" name="token" value="${token}">
<label for="email">Email</label>
<input id="email" type="email" name="email" autocomplete="email" required value="${email}">
<p><button type="submit">Email me a code</button></p>
</form>
</div>`,
  );
}

function codePage(id: string, token: string, site: Site, email: string, notice?: Notice): Html {
  return page(
    { title: 'Enter your code', notice: notice ?? { kind: 'info', text: `We sent a code to ${email} if it can receive mail.` } },
    html`<h1>Enter your code</h1>
<div class="card">
<p>Signing in keeps <strong>${site.title ?? site.slug}</strong> in your account.</p>
<form method="post" action="/dashboard/claim/${id}/code">
<input type="hidden" name="token" value="${token}">
<label for="code">6-digit code</label>
<input id="code" class="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required>
<p><button type="submit">Sign in and keep the site</button></p>
</form>
</div>`,
  );
}

function keepPage(id: string, token: string, site: Site, expiresAt: string, email: string, orgName: string, csrf: string): Html {
  return page(
    { title: 'Keep this site' },
    html`<h1>Keep this site</h1>
<div class="card">
${what(site, expiresAt)}
<p>Signed in as ${email}: keep it in <strong>${orgName}</strong> (switch organizations in the dashboard to choose another).</p>
<form method="post" action="/dashboard/claim/${id}">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="token" value="${token}">
<p><button type="submit">Keep this site</button></p>
</form>
</div>`,
  );
}

export function claimRoutes(deps: AppDeps): Hono {
  const { anonymous, signIn, dashboardSessions } = servicesOf(deps);
  const app = new Hono();
  const ip = (c: Context) => clientIp(c, deps.trustProxy);
  const id = (c: Context) => c.req.param('id') ?? '';
  const signedIn = (c: Context) => {
    const token = getCookie(c, sessionCookieName(deps));
    return token ? dashboardSessions.find(token) : Promise.resolve(null);
  };
  const kept = (c: Context, site: Site) => c.redirect(`/dashboard/sites/${encodeURIComponent(site.id)}?done=${encodeURIComponent(`Kept ${site.slug}: it is yours now and does not expire.`)}`, 303);

  app.use('*', sameOriginPosts(deps));

  app.get('/claim/:id', async (c) => {
    const token = c.req.query('token') ?? '';
    const { site, expiresAt } = await anonymous.claimable(id(c), token);
    const view = await signedIn(c);
    if (view) return c.html(keepPage(site.id, token, site, expiresAt, view.session.email, view.org.name, view.session.csrfToken));
    return c.html(emailPage(site.id, token, site, expiresAt));
  });

  app.post('/claim/:id', async (c) => {
    const view = await signedIn(c);
    if (!view) throw new AppError('unauthenticated', 'Your dashboard session has ended. Open the claim link again to sign in.');
    const form = await readFormFields(c, DASHBOARD_FORMS.claimKeep, (raw) => {
      if (!sameHash(sha256Hex(raw._csrf ?? ''), sha256Hex(view.session.csrfToken))) {
        throw new AppError('forbidden', 'This form has expired or did not come from the dashboard. Open the claim link again.');
      }
    });
    return kept(c, await anonymous.claim(view.org.id, id(c), form.token ?? ''));
  });

  app.post('/claim/:id/email', async (c) => {
    const form = await readFormFields(c, DASHBOARD_FORMS.claimEmail);
    const token = form.token ?? '';
    const { site, expiresAt } = await anonymous.claimable(id(c), token);
    const email = (form.email ?? '').trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) {
      return c.html(emailPage(site.id, token, site, expiresAt, { kind: 'error', text: 'Enter a valid email address, like you@example.com.' }, email), 400);
    }
    if (await signIn.spendCodeBudget('dashboard', ip(c), email)) {
      return c.html(emailPage(site.id, token, site, expiresAt, { kind: 'error', text: 'Too many codes requested. Wait a minute, then try again.' }, email), 429);
    }
    const { secret } = await signIn.openWithCode('dashboard', 'Invoker: keep an anonymous site', email, claimCodeUrl(deps, site.id, token));
    // Lax, not Strict: the mailed link is followed from a mail client or webmail (another site), and
    // it must find this sign-in. That GET only shows the code form; the POST that checks the code is
    // same-origin only (sameOriginPosts), and Lax sends nothing with another site's POST.
    setCookie(c, PENDING_COOKIE, secret, { httpOnly: true, sameSite: 'Lax', secure: deps.urls.scheme === 'https', path: COOKIE_PATH, maxAge: signIn.settings().ttlSeconds });
    return c.html(codePage(site.id, token, site, email));
  });

  // The mailed link: the code step of this claim, while this browser's sign-in is pending; else the
  // claim's first step (the sign-in ended, or was started in another browser).
  app.get('/claim/:id/code', async (c) => {
    const token = c.req.query('token') ?? '';
    const { site, expiresAt } = await anonymous.claimable(id(c), token);
    const secret = getCookie(c, PENDING_COOKIE);
    const pending = secret ? await signIn.findPendingBySecret(secret) : null;
    if (pending?.email && pending.codeSent) return c.html(codePage(site.id, token, site, pending.email, { kind: 'info', text: `Enter the code we sent to ${pending.email}.` }));
    if (await signedIn(c)) return c.redirect(claimUrl(deps, site.id, token), 303);
    return c.html(emailPage(site.id, token, site, expiresAt, { kind: 'info', text: 'That sign-in was started in another browser or has ended. Ask for a code here.' }));
  });

  app.post('/claim/:id/code', async (c) => {
    const form = await readFormFields(c, DASHBOARD_FORMS.claimCode);
    const token = form.token ?? '';
    const { site, expiresAt } = await anonymous.claimable(id(c), token);
    const secret = getCookie(c, PENDING_COOKIE);
    const pending = secret ? await signIn.findPendingBySecret(secret) : null;
    const ended = { kind: 'error' as const, text: 'That sign-in has ended. Ask for a new code.' };
    if (!pending?.email || !pending.codeSent) return c.html(emailPage(site.id, token, site, expiresAt, ended), 400);
    if (await signIn.spendVerifyBudget('dashboard', ip(c))) {
      return c.html(codePage(site.id, token, site, pending.email, { kind: 'error', text: 'Too many tries. Wait a minute, then try again.' }), 429);
    }
    const verdict = await signIn.checkCode(pending, (form.code ?? '').replace(/\s+/g, ''));
    if (verdict.outcome === 'wrong') return c.html(codePage(site.id, token, site, pending.email, { kind: 'error', text: `That code is not right. ${verdict.triesLeft} tries left.` }), 400);
    deleteCookie(c, PENDING_COOKIE, { path: COOKIE_PATH });
    if (verdict.outcome !== 'verified' || !(await signIn.claim(pending.sessionId))) return c.html(emailPage(site.id, token, site, expiresAt, ended), 400);
    // Signed in whatever the claim says next: the dashboard shows what became of the site.
    await startSession(c, deps, dashboardSessions, verdict.user.id, verdict.org.id);
    return kept(c, await anonymous.claim(verdict.org.id, site.id, token));
  });

  return app;
}
