// Requests answered on node:http without the Hono app: pages on site hosts (the hosting hot path)
// and GET /me (every client's key check, and the smallest authenticated request). For answers this
// small, building web Request/Response objects and walking the middleware chain costs more than
// the work itself (docs/BENCHMARKS.md has the profiles). The lane builds its answers from the same
// functions as the Hono routes (resolveSite, apiBudget, authenticate, meBody, errorAnswer), so a
// request is counted, checked and answered alike on either path; everything else goes to Hono.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toAppError } from '../errors.js';
import { apiBudget } from './api-budget.js';
import { authenticate } from './auth.js';
import { clientAddress } from './client-ip.js';
import type { AppDeps } from './context.js';
import { resolveSite } from './hosting.js';
import { errorAnswer } from './http-errors.js';
import { meBody } from './routes/me.js';
import { classifyHost } from './urls.js';

/**
 * GET /me only in the shapes @hono/node-server takes without question: a plain host[:port] and a
 * path with at most a plain query. Anything odder (no Host, `Host: [`, IPv6, unusual query bytes)
 * goes to the Hono app, which decides whether it is a request at all (a JSON 400 when not).
 */
const ME_REQUEST = /^\/me(?:\?[\w.~%&=+-]*)?$/;
const PLAIN_HOST = /^[a-z0-9._-]+(?::\d{1,5})?$/;

/** Answers the request and returns true, or returns false for the Hono app to take it. */
export type NodeLane = (req: IncomingMessage, res: ServerResponse) => boolean;

export function nodeLane(deps: AppDeps): NodeLane {
  const spend = apiBudget(deps.apiRateLimiter);

  const sitePage = (req: IncomingMessage, res: ServerResponse, slug: string, previewToken: string | null, method: string, path: string) => {
    resolveSite(deps.store, { slug, previewToken, path, method, ifNoneMatch: req.headers['if-none-match'], sandboxed: false }).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? undefined);
      },
      (e: Error) => {
        deps.log.error(`serving ${req.headers.host}${req.url} failed: ${e.stack ?? e.message}`);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('This site is unavailable right now. Try again in a moment.');
      },
    );
  };

  const me = async (req: IncomingMessage, res: ServerResponse) => {
    // Set once the request is counted: every answer after that carries the budget's headers.
    let budgetHeaders: Record<string, string> = {};
    try {
      const budget = await spend(clientAddress(req.socket.remoteAddress, header(req, 'x-forwarded-for'), deps.trustProxy));
      budgetHeaders = budget.headers;
      if (budget.refusal) throw budget.refusal;
      const principal = await authenticate(deps, header(req, 'authorization'));
      writeJson(res, 200, budgetHeaders, meBody(principal));
    } catch (e) {
      const error = toAppError(e);
      if (error.code === 'internal') deps.log.error(`GET /me failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      const answer = errorAnswer(error);
      writeJson(res, answer.status, { ...budgetHeaders, ...answer.headers }, answer.body);
    }
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const target = classifyHost(deps.urls, req.headers.host);
    if (target.kind === 'site') {
      if (method !== 'GET' && method !== 'HEAD') return false;
      sitePage(req, res, target.slug, target.previewToken, method, path);
      return true;
    }
    if (target.kind === 'platform' && method === 'GET' && ME_REQUEST.test(url) && PLAIN_HOST.test(req.headers.host ?? '')) {
      // me() answers its own errors; this only catches a failure to write the answer.
      me(req, res).catch(() => res.destroy());
      return true;
    }
    return false;
  };
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
