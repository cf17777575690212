// Request-body limits by route class (SPEC section 10), enforced before any of the body is parsed:
// sign-in endpoints take little (anyone may call them), form submissions their own limit, deploys the
// most, everything else the API limit. A declared Content-Length over the limit is refused before the
// body is read; a chunked body is counted as it streams and refused as soon as it passes.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Limits } from '../config.js';
import { AppError } from 'invoker-mcp/errors.js';

export type BodyClass = 'signIn' | 'submission' | 'deploy' | 'api';

const DEPLOY_POST = /^(?:\/orgs\/[^/]+)?\/deploy\/?$/;
const DEPLOY_PUT = /^(?:\/orgs\/[^/]+)?\/deploy\/[^/]+\/?$/;
/** Unauthenticated: the login API, the dashboard's own sign-in forms and OAuth. */
const SIGN_IN = /^\/(?:auth(?:\/|$)|dashboard\/login(?:\/|$)|oauth(?:\/|$))/;

/** Which limit a request's body gets. `onSiteHost`: a site's own host, where only POST /_submit reads a body. */
export function bodyClass(method: string, path: string, onSiteHost: boolean): BodyClass {
  if (onSiteHost || path.startsWith('/submit/')) return 'submission';
  if (SIGN_IN.test(path)) return 'signIn';
  // /mcp carries deploys as tool calls: the deploy limit (its bearer is checked before the body is read).
  if ((method === 'POST' && (DEPLOY_POST.test(path) || path === '/mcp')) || (method === 'PUT' && DEPLOY_PUT.test(path))) return 'deploy';
  return 'api';
}

export function bodyLimitBytes(limits: Limits, cls: BodyClass): number {
  return cls === 'submission' ? limits.submissionBytes : limits.bodyBytes[cls];
}

const WHAT: Record<BodyClass, string> = {
  signIn: 'the limit for sign-in requests',
  submission: 'the limit for a form submission. Shorten the fields or leave out files',
  deploy: 'the limit for a deploy. Send fewer or smaller files',
  api: 'the limit for API requests',
};

export function tooLarge(limits: Limits, cls: BodyClass): AppError {
  return new AppError('too_large', `The request body is over ${describeBytes(bodyLimitBytes(limits, cls))}, ${WHAT[cls]}.`);
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round((bytes / 1024) * 10) / 10} KB`;
}

/**
 * The middleware, first in the app. Reading c.req.raw.body (as hono's bodyLimit does) makes
 * @hono/node-server build a full web Request and stream the body through it: half the CPU time of a
 * small request. So: GET and HEAD carry no body; a declared Content-Length is the whole body (node's
 * parser reads no more), so the number is checked and the route reads the body straight from the
 * socket; only a body without one (chunked) is counted by bodyLimit as it streams.
 */
export function bodyLimits(limits: Limits, isSiteHost: (host: string | undefined) => boolean): MiddlewareHandler {
  const streaming = new Map<BodyClass, MiddlewareHandler>();
  for (const cls of ['signIn', 'submission', 'deploy', 'api'] as const) {
    streaming.set(cls, bodyLimit({ maxSize: bodyLimitBytes(limits, cls), onError: () => { throw tooLarge(limits, cls); } }));
  }
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const cls = bodyClass(method, c.req.path, isSiteHost(c.req.header('host')));
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > bodyLimitBytes(limits, cls)) throw tooLarge(limits, cls);
      return next();
    }
    return (streaming.get(cls) as MiddlewareHandler)(c, next);
  };
}
