// Request-body limits by route class (SPEC section 10), enforced before any of the body is parsed:
// sign-in endpoints take little (anyone may call them), form submissions their own limit, deploys the
// most, everything else the API limit. A declared Content-Length over the limit is refused before the
// body is read; a chunked body is counted as it streams and refused as soon as it passes.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Limits } from '../config.js';
import { AppError } from 'invoker-mcp/errors.js';

export type BodyClass = 'signIn' | 'submission' | 'deploy' | 'anonymousDeploy' | 'api';

const DEPLOY_POST = /^(?:\/orgs\/[^/]+)?\/deploy\/?$/;
const ANONYMOUS_DEPLOY_POST = /^\/deploy\/?$/;
const DEPLOY_PUT = /^(?:\/orgs\/[^/]+)?\/deploy\/[^/]+\/?$/;
/** Unauthenticated: the login API, the dashboard's own sign-in forms, form confirmations and OAuth. */
const SIGN_IN = /^\/(?:auth(?:\/|$)|dashboard\/(?:login|claim)(?:\/|$)|forms\/confirm$|oauth(?:\/|$))/;

/**
 * Which limit a request's body gets. `onSiteHost`: a site's own host, where only POST /_submit reads a
 * body. `keyless`: the request carries no Authorization header on a server that takes anonymous deploys.
 */
export function bodyClass(method: string, path: string, onSiteHost: boolean, keyless = false): BodyClass {
  if (onSiteHost || path.startsWith('/submit/')) return 'submission';
  if (SIGN_IN.test(path)) return 'signIn';
  if (keyless && method === 'POST' && ANONYMOUS_DEPLOY_POST.test(path)) return 'anonymousDeploy';
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
  anonymousDeploy: 'the limit for a deploy without a key (INVOKER_ANONYMOUS_MAX_MB). Send fewer or smaller files, or log in (invoker-mcp login) to deploy with a key',
  api: 'the limit for API requests',
};

export function tooLarge(limits: Limits, cls: BodyClass): AppError {
  return new AppError('too_large', `The request body is over ${describeBytes(bodyLimitBytes(limits, cls))}, ${WHAT[cls]}.`);
}

/** A submission over its site's limit: 64 KB, or that plus INVOKER_MAX_UPLOAD_MB where uploads are on. */
export function submissionTooLarge(limits: Limits, maxBytes: number): AppError {
  if (maxBytes <= limits.submissionBytes) return tooLarge(limits, 'submission');
  return new AppError('too_large', `The request body is over ${describeBytes(maxBytes)}, the limit for a form submission with a file (INVOKER_MAX_UPLOAD_MB). Send a smaller file.`);
}

/** The most any submission may be: a multipart one may carry a file to a site that accepts uploads. */
function submissionCap(limits: Limits, contentType: string | undefined): number {
  return contentType?.toLowerCase().includes('multipart/form-data') ? limits.submissionBytes + limits.uploadBytes : limits.submissionBytes;
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
export function bodyLimits(limits: Limits, isSiteHost: (host: string | undefined) => boolean, anonymousDeploys: () => boolean = () => false): MiddlewareHandler {
  const streaming = new Map<BodyClass, MiddlewareHandler>();
  for (const cls of ['signIn', 'submission', 'deploy', 'anonymousDeploy', 'api'] as const) {
    streaming.set(cls, bodyLimit({ maxSize: bodyLimitBytes(limits, cls), onError: () => { throw tooLarge(limits, cls); } }));
  }
  const uploadCap = limits.submissionBytes + limits.uploadBytes;
  const uploadStreaming = bodyLimit({ maxSize: uploadCap, onError: () => { throw submissionTooLarge(limits, uploadCap); } });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const keyless = c.req.header('authorization') === undefined && anonymousDeploys();
    const cls = bodyClass(method, c.req.path, isSiteHost(c.req.header('host')), keyless);
    const declared = c.req.header('content-length');
    // A submission's own limit depends on its site (uploads): the route checks it once the site is
    // known (routes/submit.ts). Here, only what no site would take.
    const cap = cls === 'submission' ? submissionCap(limits, c.req.header('content-type')) : bodyLimitBytes(limits, cls);
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > cap) throw cls === 'submission' ? submissionTooLarge(limits, cap) : tooLarge(limits, cls);
      return next();
    }
    if (cls === 'submission' && cap > limits.submissionBytes) return uploadStreaming(c, next);
    return (streaming.get(cls) as MiddlewareHandler)(c, next);
  };
}
