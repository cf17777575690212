// {public url}/mcp (SPEC section 11): the stdio tools over the v2 SDK's HTTP handler, both protocol
// eras from one URL (2026-07-28 per-request envelopes, and the 2025-era Streamable HTTP served
// statelessly), so any instance answers any request. Every request carries a bearer: an `inv_` key
// (every scope) or an OAuth access token (its grant's scopes); the tools listed and callable are
// those of the scopes (toolsets.ts remoteSelection), and they run in process through the services
// (in-process-api.ts), never through HTTP to this server. Browser requests must come from this
// server's own origin (DNS-rebinding protection).
import { createMcpHandler, originValidationResponse, type AuthInfo } from '@modelcontextprotocol/server';
import { Hono, type Context } from 'hono';
import { AppError, toAppError } from 'invoker-mcp/errors.js';
import type { ToolContext } from 'invoker-mcp/mcp/define-tool.js';
import { createMcpServer } from 'invoker-mcp/mcp/server.js';
import { remoteSelection } from 'invoker-mcp/mcp/toolsets.js';
import { packageVersion } from 'invoker-mcp/version.js';
import { DEFAULT_SCOPES } from '../../oauth/scopes.js';
import type { BearerPrincipal } from '../../oauth/tokens.js';
import { bodyLimitBytes } from '../body-limits.js';
import type { AppDeps } from '../context.js';
import { errorAnswer } from '../http-errors.js';
import { inProcessApi } from '../in-process-api.js';
import { oauthOf } from '../oauth-of.js';
import { servicesOf } from '../services-of.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function mcpRoutes(deps: AppDeps): Hono {
  const services = servicesOf(deps);
  const oauth = oauthOf(deps);
  const version = packageVersion();
  const metadataUrl = `${deps.urls.publicUrl}/.well-known/oauth-protected-resource`;
  const allowedOrigins = [new URL(deps.urls.publicUrl).hostname];

  const contextFor = (bearer: BearerPrincipal): ToolContext => ({
    // The remote tools have no client configuration of their own: this server is their API.
    config: { apiUrl: deps.urls.publicUrl, envApiKey: undefined, configDir: '', noBrowser: true },
    api: async () => inProcessApi(services, bearer.principal, { jsonDepth: deps.limits.jsonDepth }),
    currentKey: async () => null,
    remote: { dashboardUrl: `${deps.urls.publicUrl}/dashboard` },
  });

  const handler = createMcpHandler(
    ({ era, authInfo }) => {
      const bearer = authInfo?.extra?.bearer as BearerPrincipal;
      return createMcpServer({ version, era, context: contextFor(bearer), selection: remoteSelection(bearer.scopes) });
    },
    { maxRequestBodySize: bodyLimitBytes(deps.limits, 'deploy'), onerror: (e) => deps.log.warn(`mcp: ${e.message}`) },
  );

  /** 401 with the challenge that tells a client where to find the authorization server. */
  const challenge = (c: Context, error: AppError, tokenError: boolean) => {
    const answer = errorAnswer(error);
    // scope: what a client that asks for nothing in particular should ask for (SPEC section 11's default).
    const params = [`resource_metadata="${metadataUrl}"`, `scope="${DEFAULT_SCOPES.join(' ')}"`, ...(tokenError ? ['error="invalid_token"'] : [])];
    return c.json(answer.body, 401, { 'WWW-Authenticate': `Bearer ${params.join(', ')}` });
  };

  const app = new Hono();
  // POST carries every message; GET and DELETE (2025-era streams and sessions) are answered 405 by the SDK.
  app.on(['POST', 'GET', 'DELETE'], '/mcp', async (c) => {
    const rejected = originValidationResponse(c.req.raw, allowedOrigins);
    if (rejected) return rejected;
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) {
      return challenge(c, new AppError('unauthenticated', 'Missing bearer token. Connect with OAuth (see the resource metadata) or send "Authorization: Bearer inv_…".'), false);
    }
    let bearer: BearerPrincipal;
    try {
      bearer = await oauth.authenticate(token);
    } catch (e) {
      const error = toAppError(e);
      if (error.code !== 'unauthenticated') throw e;
      return challenge(c, error, true);
    }
    const authInfo: AuthInfo = { token: '', clientId: bearer.grantId ?? bearer.principal.key.id, scopes: bearer.scopes, extra: { bearer } };
    return handler.fetch(c.req.raw, { authInfo });
  });
  return app;
}
