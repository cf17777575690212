// Public form capture (SPEC section 7): POST /submit/{deploy_id} from anywhere (CORS open, no
// credentials), and POST /_submit on a site's own host. This file reads the body (JSON, urlencoded
// or multipart; its size was checked before it was read: body-limits.ts) and answers the way the
// sender expects: a fetch gets JSON, a plain HTML form post a 303 (or, when it fails, a page saying
// why). The rules (rate limit, fields,
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
import { answerResponse, thrownAnswer } from '../http-errors.js';
import type { Logger } from '../../logger.js';
import { MESSAGE_PAGE_CSP, messagePage } from '../../services/message-page.js';
import { readFormBody, readJsonBody } from '../validate.js';

/**
 * A person's browser posting a form: one of the encodings an HTML form can use, and an Accept that asks for a page (browsers
 * send text/html when they navigate). Only that gets a failure as a page; scripts, curl and anything
 * that asks for JSON get the JSON error.
 */
export function isBrowserFormPost(c: Context): boolean {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  const formEncoding = type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data') || type.includes('text/plain');
  return formEncoding && accept.includes('text/html');
}

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

export function thankYouPage(siteName: string, backUrl: string | null): string {
  return messagePage({ title: 'Thank you!', paragraphs: ['Your submission was received.'], link: backUrl ? { href: backUrl, text: `Back to ${siteName}` } : null });
}

/** What a person whose form post failed reads, by status: what happened, then what to do. */
const FAILED_POST: Record<number, string> = {
  400: 'The form could not be sent',
  403: 'The form could not check your browser',
  404: 'This form is no longer collecting answers',
  413: 'That was too much to send',
  429: 'Too many submissions',
};

/**
 * The answer to a failed submission: a browser's form post (a person, not a script) gets a page
 * with the same status and headers; everything else the JSON error. app.ts sends every failure of
 * a submission route here (isSubmissionRoute), the body-limit middleware's 413 included.
 */
export function submissionFailure(c: Context, log: Logger, e: unknown): Response {
  const answer = thrownAnswer(log, c, e);
  if (!isBrowserFormPost(c)) return answerResponse(c, answer);
  for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
  c.header('Content-Security-Policy', MESSAGE_PAGE_CSP);
  const title = FAILED_POST[answer.status] ?? 'Something went wrong';
  const back = 'Use your browser\'s Back button to return to the form: what you typed is usually still there.';
  return c.html(messagePage({ title, paragraphs: [answer.body.error, back] }), answer.status as 400);
}

/** Stores one submission for the site and answers the way the sender expects. */
export async function acceptSubmission(c: Context, deps: AppDeps, submissions: SubmissionsService, target: SubmissionTarget): Promise<Response> {
  const ip = clientIp(c, deps.trustProxy);
  const accepted = await submissions.accept({ target, ip: ip === 'unknown' ? null : ip, readFields: (maxBytes) => readFields(c, deps.limits, maxBytes) });
  // A bot that filled the honeypot sees the same answer as a person.
  if (wantsJson(c)) return c.json({ message: 'Submission received', id: accepted.id });
  return c.redirect(accepted.redirectTo, 303);
}

/** POST /submit/{id}, or POST /_submit on a site's own host: the two ways a form is captured. */
export function isSubmissionRoute(method: string, path: string, onSiteHost: boolean): boolean {
  return method === 'POST' && (onSiteHost ? path === '/_submit' : /^\/submit\/[^/]+\/?$/.test(path));
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
    c.header('Content-Security-Policy', MESSAGE_PAGE_CSP);
    return c.html(thankYouPage(siteName, backUrl));
  });
  return app;
}
