// Public form capture (SPEC section 7): POST /submit/{deploy_id} from anywhere (CORS open, no
// credentials), and POST /_submit on a site's own host. This file reads the body (JSON, urlencoded
// or multipart; its size was checked before it was read: body-limits.ts) and answers the way the
// sender expects: a fetch gets JSON, a plain HTML form post a 303. The rules (rate limit, fields,
// honeypot, where `_next` may point) are the submissions service's.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { AppError } from 'invoker-mcp/errors.js';
import type { SubmissionsService, SubmissionTarget } from '../../services/submissions.js';
import type { AppDeps, AppEnv } from '../context.js';
import type { Limits } from '../../config.js';
import { submissionTooLarge } from '../body-limits.js';
import { clientIp } from '../client-ip.js';
import { errorResponse } from '../http-errors.js';
import { readFormBody, readJsonBody } from '../validate.js';

function wantsJson(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The submitted fields as sent: a JSON object, or a form's fields (repeated ones as lists, files as
 * File). A declared length over the site's limit is refused before the body is read; a body sent
 * without one was capped on its way in and is measured by the service.
 */
async function readFields(c: Context, limits: Limits, maxBytes: number): Promise<Record<string, unknown>> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) throw submissionTooLarge(limits, maxBytes);
  const jsonDepth = limits.jsonDepth;
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    const parsed = await readJsonBody(c, jsonDepth, 'The submission');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('invalid_input', 'A JSON submission must be an object of field names to values.');
    }
    return parsed as Record<string, unknown>;
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) return readFormBody(c, { all: true });
  throw new AppError('invalid_input', 'Send the form as JSON, application/x-www-form-urlencoded or multipart/form-data.');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function thankYouPage(siteName: string, backUrl: string | null): string {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Back to ${escapeHtml(siteName)}</a></p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Thank you</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}h1{font-size:1.75rem}a{color:#1d4ed8}</style></head><body><main><h1>Thank you!</h1><p>Your submission was received.</p>${back}</main></body></html>`;
}

/** Stores one submission for the site and answers the way the sender expects. */
export async function acceptSubmission(c: Context, deps: AppDeps, submissions: SubmissionsService, target: SubmissionTarget): Promise<Response> {
  const ip = clientIp(c, deps.trustProxy);
  let accepted;
  try {
    accepted = await submissions.accept({ target, ip: ip === 'unknown' ? null : ip, readFields: (maxBytes) => readFields(c, deps.limits, maxBytes) });
  } catch (e) {
    // A refused sender is told so in the JSON error format, whatever it sent.
    if (e instanceof AppError && e.code === 'rate_limited') return errorResponse(c, e);
    throw e;
  }
  // A bot that filled the honeypot sees the same answer as a person.
  if (wantsJson(c)) return c.json({ message: 'Submission received', id: accepted.id });
  return c.redirect(accepted.redirectTo, 303);
}

export function submitRoutes(deps: AppDeps, submissions: SubmissionsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/submit/*', cors({ origin: '*', allowMethods: ['POST', 'GET', 'OPTIONS'], allowHeaders: ['Content-Type', 'Accept'], maxAge: 600 }));
  app.post('/submit/:id', (c) => acceptSubmission(c, deps, submissions, { siteId: c.req.param('id') }));
  // The proof-of-work challenge a `pow` form solves before it posts (the page's script fetches it).
  app.get('/submit/:id/challenge', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await submissions.challenge(c.req.param('id')));
  });
  app.get('/submit/:id/thanks', async (c) => {
    const { siteName, backUrl } = await submissions.thanks(c.req.param('id'));
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    return c.html(thankYouPage(siteName, backUrl));
  });
  return app;
}
