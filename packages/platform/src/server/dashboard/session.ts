// Dashboard sessions on the wire: the session's token in a host-only, HttpOnly, SameSite=Lax cookie
// (the dashboard-sessions service keeps only its SHA-256), the per-session CSRF token every
// state-changing form carries, and an Origin check on every POST. Security headers for every
// dashboard answer live here too.
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from 'invoker-mcp/errors.js';
import type { DashboardSession, DashboardSessionsService, DashboardView } from '../../services/dashboard-sessions.js';
import { sameHash, sha256Hex } from '../../services/login-secrets.js';
import type { AppDeps } from '../context.js';
import { describeZodError } from '../http-errors.js';
import { readFormBody } from '../validate.js';
import type { DashboardForm } from './forms.js';

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The signed-in session, the selected org (what `c` means here) and every org the user may switch to. */
export type DashboardState = DashboardView;

export interface DashboardEnv {
  Variables: { dash: DashboardState };
}

/** `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/. */
export function sessionCookieName(deps: AppDeps): string {
  return deps.urls.scheme === 'https' ? '__Host-invoker_session' : 'invoker_session';
}

export async function startSession(c: Context, deps: AppDeps, sessions: DashboardSessionsService, userId: string, orgId: string): Promise<void> {
  const { token, maxAgeSeconds } = await sessions.start(userId, orgId);
  setCookie(c, sessionCookieName(deps), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.urls.scheme === 'https',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export async function endSession(c: Context, deps: AppDeps, sessions: DashboardSessionsService, session: DashboardSession): Promise<void> {
  await sessions.end(session);
  deleteCookie(c, sessionCookieName(deps), { path: '/', secure: deps.urls.scheme === 'https' });
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', DASHBOARD_CSP);
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  };
}

/**
 * Cross-site POSTs are refused before anything else: browsers send Origin on every POST, and
 * Sec-Fetch-Site tells a same-origin form from another site's.
 */
export function sameOriginPosts(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if ((origin && origin !== new URL(deps.urls.publicUrl).origin) || (site && site !== 'same-origin' && site !== 'none')) {
        throw new AppError('forbidden', 'This form must be sent from the Invoker dashboard itself. Reload the dashboard and try again.');
      }
    }
    await next();
  };
}

/** Loads the signed-in session and its orgs; sends anyone else to the sign-in page. */
export function requireSession(deps: AppDeps, sessions: DashboardSessionsService): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const token = getCookie(c, sessionCookieName(deps));
    const view = token ? await sessions.find(token) : null;
    if (!view) {
      if (c.req.method === 'GET') return c.redirect('/dashboard/login', 303);
      throw new AppError('unauthenticated', 'Your dashboard session has ended. Sign in again.');
    }
    c.set('dash', view);
    await next();
  };
}

/** A form's fields as its table entry (forms.ts) describes them; a malformed body is a 400. */
export async function readFormFields<F extends DashboardForm>(c: Context, form: F, check: (raw: Record<string, string>) => void = () => {}): Promise<z.infer<F['fields']>> {
  const raw: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(await readFormBody(c))) if (typeof v === 'string') raw[k] = v;
  check(raw);
  const parsed = form.fields.safeParse(raw);
  if (!parsed.success) throw new AppError('invalid_input', describeZodError(parsed.error));
  return parsed.data as z.infer<F['fields']>;
}

/** Every state-changing form carries the session's CSRF token, checked before any field is. */
export function readForm<F extends DashboardForm>(c: Context<DashboardEnv>, form: F): Promise<z.infer<F['fields']>> {
  const expected = c.get('dash').session.csrfToken;
  return readFormFields(c, form, (raw) => {
    if (!sameHash(sha256Hex(raw._csrf ?? ''), sha256Hex(expected))) {
      throw new AppError('forbidden', 'This form has expired or did not come from the dashboard. Reload the page and try again.');
    }
  });
}
