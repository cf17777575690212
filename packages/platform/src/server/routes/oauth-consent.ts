// The consent page on the wire (/oauth/authorize, SPEC section 11): GET shows the request to the
// signed-in person, or the email-code sign-in first (the dashboard's own sign-in service, whose
// session it then starts, so the dashboard is signed in too); the POSTs carry the request back and
// check it again. The consent POST needs the session's CSRF token and comes only from this origin.
// Errors before the client and its redirect URI are verified are shown here; after, they go back
// to the client as `error` on its redirect URI. Every answer forbids framing (frame-ancestors
// 'none', X-Frame-Options), and the CSP lets the consent form redirect only to the client.
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import { ConsentFormSchema } from 'invoker-mcp/contract/oauth.js';
import { AppError, httpStatus, isAppError, toAppError, type ErrorCode } from 'invoker-mcp/errors.js';
import { EMAIL_PATTERN } from 'invoker-mcp/contract/login.js';
import { AUTHORIZE_PARAM_NAMES, RedirectableError, redirectTo, type AuthorizationRequest, type AuthorizeParams } from '../../oauth/authorization.js';
import { oauthCodeOf } from '../../oauth/errors.js';
import { isScope, orderScopes } from '../../oauth/scopes.js';
import { sameHash, sha256Hex } from '../../services/login-secrets.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps } from '../context.js';
import { consentCodePage, consentEmailPage, consentErrorPage, consentPage } from '../dashboard/pages-consent.js';
import { sameOriginPosts, sessionCookieName, startSession } from '../dashboard/session.js';
import type { Html } from '../dashboard/layout.js';
import { answerFor } from '../http-errors.js';
import { oauthOf } from '../oauth-of.js';
import { servicesOf } from '../services-of.js';
import { readFormBody } from '../validate.js';

const PENDING_COOKIE = 'invoker_oauth_signin';
const CONSENT_FORM = ConsentFormSchema;
type ConsentForm = z.infer<typeof CONSENT_FORM>;

const CSP_BASE = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/** The form may be sent here and redirected to the client's own origin (or app scheme), nowhere else. */
function formAction(redirectUri: string | null): string {
  if (!redirectUri) return "form-action 'self'";
  const url = new URL(redirectUri);
  const target = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
  return `form-action 'self' ${target}`;
}

function paramsOf(source: Record<string, unknown>): AuthorizeParams {
  const params: AuthorizeParams = {};
  for (const name of AUTHORIZE_PARAM_NAMES) {
    const v = source[name];
    if (typeof v === 'string') params[name] = v;
  }
  return params;
}

export function oauthConsentRoutes(deps: AppDeps): Hono {
  const oauth = oauthOf(deps);
  const { signIn, dashboardSessions, orgs } = servicesOf(deps);
  const app = new Hono();
  const ip = (c: Context) => clientIp(c, deps.trustProxy);

  const show = (c: Context, body: Html, status: 200 | 400 | 401 | 403 | 404 | 429 | 500 = 200, redirectUri: string | null = null) => {
    c.header('Content-Security-Policy', `${CSP_BASE}; ${formAction(redirectUri)}`);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: with it, Chromium sends `Origin: null` on the form posts, which the origin check refuses.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
    return c.html(body, status);
  };
  const statusOf = (code: ErrorCode) => httpStatus(code) as 400 | 401 | 403 | 404 | 429;

  /** An error as the person or the client should see it. */
  const fail = (c: Context, e: unknown) => {
    if (e instanceof RedirectableError) {
      return c.redirect(redirectTo(e.redirectUri, oauth.issuer(), { error: oauthCodeOf(e.error), error_description: e.error.message, state: e.state }), 303);
    }
    const error = toAppError(e);
    if (!isAppError(e) || error.code === 'internal' || error.code === 'config') {
      const answer = answerFor(deps.log, `${c.req.method} ${c.req.path}`, e);
      for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
      return show(c, consentErrorPage(answer.body.error), 500);
    }
    // An unknown or unreadable client is a bad request to this page, not a failed sign-in.
    return show(c, consentErrorPage(error.message), oauthCodeOf(error) === 'invalid_client' ? 400 : statusOf(error.code));
  };

  const readForm = async (c: Context): Promise<ConsentForm> => {
    const parsed = CONSENT_FORM.safeParse(await readFormBody(c, { all: true }));
    if (!parsed.success) throw new AppError('invalid_input', 'The form could not be read. Go back to the app and start again.');
    return parsed.data;
  };

  /** A consent form post: its fields, and the authorization request they carry, checked again. */
  const readRequest = async (c: Context) => {
    const form = await readForm(c);
    const params = paramsOf(form);
    return { form, params, request: await oauth.authorization.check(params) };
  };

  const signedIn = async (c: Context) => {
    const token = getCookie(c, sessionCookieName(deps));
    return token ? dashboardSessions.find(token) : null;
  };

  const consent = async (c: Context, request: AuthorizationRequest, params: AuthorizeParams, notice?: { kind: 'error'; text: string }) => {
    const view = await signedIn(c);
    if (!view) return show(c, consentEmailPage(request, params, notice));
    // The person's own org first: their top-level org, whichever the dashboard has selected.
    const own = view.orgs.find((o) => o.parent_id === null) ?? view.org;
    return show(c, consentPage({ request, params, email: view.session.email, csrf: view.session.csrfToken, orgs: view.orgs, selectedOrg: own.id }, notice), notice ? 400 : 200, request.redirectUri);
  };

  // Every failure, in a handler or in the origin check, is a page (or a redirect to the client).
  app.onError((e, c) => fail(c, e));
  app.use('/oauth/authorize/*', sameOriginPosts(deps));
  app.use('/oauth/authorize', sameOriginPosts(deps));

  app.get('/oauth/authorize', async (c) => {
    const params = paramsOf(c.req.query());
    return await consent(c, await oauth.authorization.check(params), params);
  });

  app.post('/oauth/authorize/email', async (c) => {
    const { form, params, request } = await readRequest(c);
    const email = (form.email ?? '').trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) return show(c, consentEmailPage(request, params, { kind: 'error', text: 'Enter a valid email address, like you@example.com.' }, email), 400);
    const refused = await signIn.spendCodeBudget('dashboard', ip(c), email);
    if (refused) return show(c, consentEmailPage(request, params, { kind: 'error', text: 'Too many codes requested. Wait a minute, then try again.' }, email), 429);
    const { secret } = await signIn.openWithCode('dashboard', request.client.name, email);
    setCookie(c, PENDING_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: deps.urls.scheme === 'https', path: '/oauth', maxAge: signIn.settings().ttlSeconds });
    return show(c, consentCodePage(request, params, email));
  });

  app.post('/oauth/authorize/code', async (c) => {
    const { form, params, request } = await readRequest(c);
    const secret = getCookie(c, PENDING_COOKIE);
    const pending = secret ? await signIn.findPendingBySecret(secret) : null;
    if (!pending?.email || !pending.codeSent) return show(c, consentEmailPage(request, params, { kind: 'error', text: 'That sign-in has ended. Ask for a new code.' }), 400);
    if (await signIn.spendVerifyBudget('dashboard', ip(c))) return show(c, consentCodePage(request, params, pending.email, { kind: 'error', text: 'Too many tries. Wait a minute, then try again.' }), 429);
    const verdict = await signIn.checkCode(pending, (form.code ?? '').replace(/\s+/g, ''));
    if (verdict.outcome === 'wrong') return show(c, consentCodePage(request, params, pending.email, { kind: 'error', text: `That code is not right. ${verdict.triesLeft} tries left.` }), 400);
    if (verdict.outcome !== 'verified' || !(await signIn.claim(pending.sessionId))) {
      deleteCookie(c, PENDING_COOKIE, { path: '/oauth' });
      return show(c, consentEmailPage(request, params, { kind: 'error', text: 'That sign-in has ended. Ask for a new code.' }), 400);
    }
    deleteCookie(c, PENDING_COOKIE, { path: '/oauth' });
    await startSession(c, deps, dashboardSessions, verdict.user.id, verdict.org.id);
    const query = new URLSearchParams(Object.entries(params) as [string, string][]);
    return c.redirect(`/oauth/authorize?${query}`, 303);
  });

  app.post('/oauth/authorize', async (c) => {
    const view = await signedIn(c);
    if (!view) throw new AppError('unauthenticated', 'Your sign-in has ended. Go back to the app and connect again.');
    const form = await readForm(c);
    if (!sameHash(sha256Hex(form._csrf ?? ''), sha256Hex(view.session.csrfToken))) {
      throw new AppError('forbidden', 'This form has expired or did not come from this page. Go back to the app and connect again.');
    }
    const params = paramsOf(form);
    const request = await oauth.authorization.check(params);
    if (form.decision === 'deny') {
      return c.redirect(redirectTo(request.redirectUri, oauth.issuer(), { error: 'access_denied', error_description: 'The person did not allow access.', state: request.state }), 303);
    }
    const chosen = (Array.isArray(form.grant_scope) ? form.grant_scope : form.grant_scope ? [form.grant_scope] : []).filter(isScope);
    if (chosen.length === 0) return await consent(c, request, params, { kind: 'error', text: 'Choose at least one thing the app may do.' });
    const org = await orgs.reachForUser(view.session.userId, form.org ?? '');
    const location = await oauth.authorization.approve(request, { userId: view.session.userId, orgId: org.id, scopes: orderScopes(chosen) });
    c.header('Content-Security-Policy', `${CSP_BASE}; ${formAction(request.redirectUri)}`);
    return c.redirect(location, 303);
  });

  return app;
}
