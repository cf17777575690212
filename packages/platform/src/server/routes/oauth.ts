// The OAuth 2.1 protocol endpoints (SPEC section 11) on the wire: the two metadata documents
// (RFC 9728, RFC 8414), Dynamic Client Registration (RFC 7591), the token endpoint and revocation
// (RFC 7009). Errors are OAuth's `{error, error_description}` JSON (oauth/errors.ts), never a 5xx
// for bad input; answers carrying tokens are `Cache-Control: no-store`. Browser-based clients reach
// every one of them from their own origin (server/cors.ts answers the preflights and marks the
// answers; none of these reads a cookie).
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { httpStatus, toAppError } from 'invoker-mcp/errors.js';
import { oauthCodeOf, oauthError } from '../../oauth/errors.js';
import type { TokenForm } from '../../oauth/tokens.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps } from '../context.js';
import { answerFor, answerResponse } from '../http-errors.js';
import { oauthOf } from '../oauth-of.js';
import { readFormBody, readJsonBody } from '../validate.js';

/** An OAuth error answer: the status of its house code, the OAuth words in the body. */
export function oauthErrorResponse(c: Context, deps: AppDeps, e: unknown): Response {
  const error = toAppError(e);
  // The platform's own limits and failures keep the house answer every route gives (429, 413, 500).
  if (error.code === 'rate_limited' || error.code === 'too_large' || error.code === 'internal' || error.code === 'config') {
    return answerResponse(c, answerFor(deps.log, `${c.req.method} ${c.req.path}`, e));
  }
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const oauth = oauthCodeOf(error);
  // RFC 6749 §5.2: the OAuth words, with the house code beside them.
  return c.json({ error: oauth, error_description: error.message, code: error.code }, httpStatus(error.code) as ContentfulStatusCode, headers);
}

/** Form fields as strings: a field sent twice is invalid_request (RFC 6749 §3.1), not a guess. */
async function readOAuthForm(c: Context, jsonDepth: number): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  const raw = type.includes('application/json') ? await readJsonBody(c, jsonDepth) : await readFormBody(c, { all: true });
  const fields: Record<string, string> = Object.create(null);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fields;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) throw oauthError('invalid_request', `${k} is sent more than once.`);
    if (typeof v === 'string') fields[k] = v;
  }
  return fields;
}

export function oauthRoutes(deps: AppDeps): Hono {
  const oauth = oauthOf(deps);
  const app = new Hono();
  const resourceMetadata = (c: Context) => c.json(oauth.protectedResourceMetadata());
  // RFC 9728 puts the resource's path after the well-known name; the bare name serves the same.
  app.get('/.well-known/oauth-protected-resource', resourceMetadata);
  app.get('/.well-known/oauth-protected-resource/mcp', resourceMetadata);
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(oauth.authorizationServerMetadata()));

  app.post('/oauth/register', async (c) => {
    try {
      const body = await readJsonBody(c, deps.limits.jsonDepth, 'The registration');
      return c.json(await oauth.clients.register(clientIp(c, deps.trustProxy), body), 201, { 'Cache-Control': 'no-store' });
    } catch (e) {
      return oauthErrorResponse(c, deps, e);
    }
  });

  app.post('/oauth/token', async (c) => {
    try {
      const form = (await readOAuthForm(c, deps.limits.jsonDepth)) as TokenForm;
      return c.json(await oauth.tokens.token(form), 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    } catch (e) {
      return oauthErrorResponse(c, deps, e);
    }
  });

  app.post('/oauth/revoke', async (c) => {
    try {
      const form = await readOAuthForm(c, deps.limits.jsonDepth);
      await oauth.tokens.revoke(form);
      // RFC 7009 §2.2: 200 whether or not the token was known; the body means nothing.
      return c.json({}, 200, { 'Cache-Control': 'no-store' });
    } catch (e) {
      return oauthErrorResponse(c, deps, e);
    }
  });

  return app;
}
