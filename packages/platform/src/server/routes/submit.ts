// Public form capture (SPEC section 7): POST /submit/{deploy_id} from anywhere (CORS open, no
// credentials), and POST /_submit on a site's own host. JSON, urlencoded and multipart bodies; a
// filled `_hp` honeypot is answered like a success and not stored; INVOKER_MAX_SUBMISSION_KB per
// submission (checked before the body is read: body-limits.ts) and INVOKER_SUBMISSIONS_PER_MINUTE
// per site per IP. A fetch gets JSON; a plain HTML form post gets a 303 to `_next` (only within the site) or
// to the built-in thank-you page.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { AppError } from 'invoker-mcp/errors.js';
import { newId } from 'invoker-mcp/contract/ids.js';
import type { SiteRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { clientIp } from '../client-ip.js';
import { errorResponse } from '../http-errors.js';
import { classifyHost, liveUrl } from '../urls.js';
import { readFormBody, readJsonBody } from '../validate.js';

const MAX_FIELDS = 100;
const CONTROL_FIELDS = new Set(['_hp', '_next']);

type FieldValue = string | string[];

function wantsJson(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof File) return `[file ${value.name}, ${value.size} bytes, not stored]`;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function readFields(c: Context, jsonDepth: number): Promise<Record<string, FieldValue>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  let raw: Record<string, unknown>;
  if (type.includes('application/json')) {
    const parsed = await readJsonBody(c, jsonDepth, 'The submission');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('invalid_input', 'A JSON submission must be an object of field names to values.');
    }
    raw = parsed as Record<string, unknown>;
  } else if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    raw = await readFormBody(c, { all: true });
  } else {
    throw new AppError('invalid_input', 'Send the form as JSON, application/x-www-form-urlencoded or multipart/form-data.');
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_FIELDS) throw new AppError('too_large', `A submission may have at most ${MAX_FIELDS} fields.`);
  // No prototype: a field named "__proto__" is a field like any other, not the object's prototype.
  const fields: Record<string, FieldValue> = Object.create(null);
  for (const [name, value] of entries) {
    if (name.length > 200) throw new AppError('invalid_input', 'A field name is longer than 200 characters.');
    fields[name] = Array.isArray(value) ? value.map(flatten) : flatten(value);
  }
  return fields;
}

function firstValue(v: FieldValue | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** `_next` is honoured only when it points back into the same site: no open redirects. */
export function safeNext(deps: AppDeps, site: SiteRecord, next: string): string | null {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const target = classifyHost(deps.urls, url.host);
  if (target.kind === 'site' && target.slug === site.slug) return url.toString();
  if (target.kind === 'platform' && url.host === deps.urls.publicHost && url.pathname.startsWith(`/s/${site.slug}/`)) {
    return url.toString();
  }
  return null;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function thankYouPage(site: SiteRecord | null, backUrl: string | null): string {
  const name = site?.title ?? site?.slug ?? 'the site';
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Back to ${escapeHtml(name)}</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Thank you</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.75rem}a{color:#1d4ed8}</style></head><body><main><h1>Thank you!</h1><p>Your submission was received.</p>${back}</main></body></html>`;
}

/** Stores one submission for the site and answers the way the sender expects. */
export async function acceptSubmission(c: Context, deps: AppDeps, site: SiteRecord): Promise<Response> {
  const json = wantsJson(c);
  const ip = clientIp(c, deps.trustProxy);
  const decision = await deps.submissionLimiter.hit(`${site.id}|${ip}`);
  if (!decision.allowed) {
    return errorResponse(
      c,
      new AppError('rate_limited', `Too many submissions from your address to this site. Try again in ${decision.resetSeconds} seconds.`, {
        retryAfterSeconds: decision.resetSeconds,
      }),
    );
  }
  const fields = await readFields(c, deps.limits.jsonDepth);
  const honeypot = firstValue(fields._hp).trim() !== '';
  const next = firstValue(fields._next);
  const id = newId('sub');
  if (!honeypot) {
    const data: Record<string, FieldValue> = Object.create(null);
    for (const [k, v] of Object.entries(fields)) if (!CONTROL_FIELDS.has(k)) data[k] = v;
    await deps.store.addSubmission({ id, siteId: site.id, data, ipAddress: ip === 'unknown' ? null : ip, now: deps.now().toISOString() });
  }
  // A bot that filled the honeypot sees the same answer as a person.
  if (json) return c.json({ message: 'Submission received', id });
  const redirect = (next && safeNext(deps, site, next)) || `${deps.urls.publicUrl}/submit/${site.id}/thanks`;
  return c.redirect(redirect, 303);
}

export function submitRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/submit/*', cors({ origin: '*', allowMethods: ['POST', 'GET', 'OPTIONS'], allowHeaders: ['Content-Type', 'Accept'], maxAge: 600 }));
  app.post('/submit/:id', async (c) => {
    const site = await deps.store.findSiteById(c.req.param('id'));
    if (!site) throw new AppError('not_found', 'Deployment not found: this form points at a site that no longer exists.');
    return acceptSubmission(c, deps, site);
  });
  app.get('/submit/:id/thanks', async (c) => {
    const site = await deps.store.findSiteById(c.req.param('id'));
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    return c.html(thankYouPage(site, site && site.liveVersion !== null ? liveUrl(deps.urls, site.slug) : null));
  });
  return app;
}
