// Requests answered on node:http without the Hono app: pages on site hosts (the hosting hot path)
// and GET /me (every client's key check, and the smallest authenticated request). For answers this
// small, building web Request/Response objects and walking the middleware chain costs more than
// the work itself (docs/BENCHMARKS.md has the profiles). The lane is transport only: it calls the
// same services as the Hono routes (hosting.answer, keys.authenticate, meOf) with the same budget
// and error answers (apiBudget, answerFor), and takes only requests the Hono adapter would read
// exactly as sent, so a request is counted, checked and answered alike on either path; everything
// else goes to Hono.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiBudget } from './api-budget.js';
import { authenticate } from './auth.js';
import { clientAddress } from './client-ip.js';
import type { AppDeps, Logger } from './context.js';
import { answerFor, failureAnswer } from './http-errors.js';
import { meOf } from '../services/keys.js';
import { CHALLENGE_PATH } from '../services/domains.js';
import { unknownHost, type SiteAnswer } from '../services/hosting.js';
import { classifyHost, customDomainOf } from '../services/urls.js';
import { pathOfTarget } from './request-target.js';
import { servicesOf } from './services-of.js';

/**
 * GET /me only in the shapes @hono/node-server takes without question: a plain host[:port] and a
 * path with at most a plain query. Anything odder (no Host, `Host: [`, IPv6, unusual query bytes)
 * goes to the Hono app, which decides whether it is a request at all (a JSON 400 when not).
 */
const ME_REQUEST = /^\/me(?:\?[\w.~%&=+-]*)?$/;
const PLAIN_HOST = /^[a-z0-9._-]+(?::\d{1,5})?$/;
/**
 * Site-host targets whose path the WHATWG URL parser (which builds the Hono app's URL) leaves as
 * sent: only characters it never escapes in a path, and no dot segments, `%2e` spellings included,
 * which it would resolve. Anything else (`/x/../about`, a backslash, a space, non-ASCII) goes to
 * Hono, which calls the same hosting.answer() with the normalised path.
 */
const PLAIN_TARGET = /^\/[!#$%&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?#]|$)/i;

export function isPlainSiteTarget(target: string): boolean {
  return PLAIN_TARGET.test(target) && !DOT_SEGMENT.test(target);
}

/** Answers the request and returns true, or returns false for the Hono app to take it. */
export type NodeLane = (req: IncomingMessage, res: ServerResponse) => boolean;

export function nodeLane(deps: AppDeps): NodeLane {
  const { hosting, keys } = servicesOf(deps);
  const spend = apiBudget(deps.apiRateLimiter);

  /** What the request says that any site answer reads: path, method, caches, cookies (passwords), address (counters). */
  const requestFacts = (req: IncomingMessage, method: string, path: string) => ({
    path,
    method,
    ifNoneMatch: req.headers['if-none-match'],
    acceptEncoding: header(req, 'accept-encoding'),
    cookie: header(req, 'cookie'),
    ip: clientAddress(req.socket.remoteAddress, header(req, 'x-forwarded-for'), deps.trustProxy),
  });

  /**
   * Writes a site answer; a refusal as JSON (a counter's, as the Hono app answers it; no answer at all:
   * the unknown host's 404); anything else thrown is a logged failure.
   */
  const writeAnswer = async (res: ServerResponse, what: string, answering: () => Promise<SiteAnswer | null>) => {
    let answer: SiteAnswer;
    try {
      const found = await answering();
      if (!found) throw unknownHost(deps.urls.sitesDomain);
      answer = found;
    } catch (e) {
      const failed = answerFor(deps.log, what, e);
      writeJson(res, failed.status, failed.headers, failed.body);
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body ?? undefined);
  };

  const sitePage = (req: IncomingMessage, res: ServerResponse, slug: string, previewToken: string | null, method: string, path: string) =>
    writeAnswer(res, `${method} ${path}`, () => hosting.answer({ ...requestFacts(req, method, path), slug, previewToken, sandboxed: false }));

  // A custom domain: the live site it verified for, or the JSON 404 the Hono app gives an unknown host.
  const domainPage = (req: IncomingMessage, res: ServerResponse, domain: string, method: string, path: string) =>
    writeAnswer(res, `${method} ${domain}`, () => hosting.answerDomain({ ...requestFacts(req, method, path), domain }));

  const me = async (req: IncomingMessage, res: ServerResponse) => {
    // Set once the request is counted: every answer after that carries the budget's headers.
    let budgetHeaders: Record<string, string> = {};
    try {
      const budget = await spend(clientAddress(req.socket.remoteAddress, header(req, 'x-forwarded-for'), deps.trustProxy));
      budgetHeaders = budget.headers;
      if (budget.refusal) throw budget.refusal;
      const principal = await authenticate(keys, header(req, 'authorization'));
      writeJson(res, 200, budgetHeaders, meOf(principal));
    } catch (e) {
      const answer = answerFor(deps.log, 'GET /me', e);
      writeJson(res, answer.status, { ...budgetHeaders, ...answer.headers }, answer.body);
    }
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const host = req.headers.host ?? '';
    const target = classifyHost(deps.urls, host);
    if (target.kind === 'site') {
      if ((method !== 'GET' && method !== 'HEAD') || !PLAIN_HOST.test(host) || !isPlainSiteTarget(url)) return false;
      settle(sitePage(req, res, target.slug, target.previewToken, method, pathOfTarget(url)), res, deps.log, `${method} ${host}${url}`);
      return true;
    }
    if (target.kind === 'unknown') {
      // The verification token is the Hono app's to answer; every other page goes as on a site host.
      if ((method !== 'GET' && method !== 'HEAD') || !PLAIN_HOST.test(host) || !isPlainSiteTarget(url) || url.startsWith(CHALLENGE_PATH)) return false;
      const domain = customDomainOf(host);
      if (!domain) return false;
      settle(domainPage(req, res, domain, method, pathOfTarget(url)), res, deps.log, `${method} ${host}${url}`);
      return true;
    }
    if (target.kind === 'platform' && method === 'GET' && ME_REQUEST.test(url) && PLAIN_HOST.test(host)) {
      settle(me(req, res), res, deps.log, 'GET /me');
      return true;
    }
    return false;
  };
}

/** The lane's request boundary: whatever goes wrong ends this request, never the process. */
function settle(work: Promise<void>, res: ServerResponse, log: Logger, what: string): void {
  work.catch((e: unknown) => failRequest(res, log, what, e));
}

/**
 * Answers a request that failed inside the server: 500 with a request id (also in the log line) when
 * nothing was sent yet, else the connection is cut, the only honest end of a half-sent answer.
 */
export function failRequest(res: ServerResponse, log: Logger, what: string, e: unknown): void {
  const answer = failureAnswer(log, what, e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  try {
    writeJson(res, answer.status, answer.headers, answer.body);
  } catch {
    res.destroy();
  }
}

/** A header the way Hono's c.req.header() reads it: repeated headers joined with ", ". */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function writeJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
