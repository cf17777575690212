// {public url}/mcp (SPEC section 11): the stdio tools over the v2 SDK's HTTP handler, both protocol
// eras from one URL (2026-07-28 per-request envelopes, and the 2025-era Streamable HTTP served
// statelessly), so any instance answers any request. Every request carries a bearer: an `inv_` key
// (every scope) or an OAuth access token (its grant's scopes); the tools listed and callable are
// those of the scopes (toolsets.ts remoteSelection), and they run in process through the services
// (in-process-api.ts), never through HTTP to this server. Browser requests must come from this
// server's own origin (DNS-rebinding protection).
import { createMcpHandler, isLegacyRequest, originValidationResponse, WebStandardStreamableHTTPServerTransport, type AuthInfo, type McpServerFactory } from '@modelcontextprotocol/server';
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

/**
 * A POST's JSON parsed once. A body that is not JSON is left for the SDK to refuse in its own words
 * (the request rebuilt with the same bytes, since reading consumed them).
 */
async function readOnce(request: Request): Promise<{ request: Request; parsedBody: unknown }> {
  if (request.method !== 'POST' || !/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) return { request, parsedBody: undefined };
  const text = await request.text();
  try {
    return { request, parsedBody: JSON.parse(text) as unknown };
  } catch {
    return { request: new Request(request.url, { method: 'POST', headers: request.headers, body: text }), parsedBody: undefined };
  }
}

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

  const factory: McpServerFactory = ({ era, authInfo }) => {
    const bearer = authInfo?.extra?.bearer as BearerPrincipal;
    return createMcpServer({ version, era, context: contextFor(bearer), selection: remoteSelection(bearer.scopes) });
  };
  const maxRequestBodySize = bodyLimitBytes(deps.limits, 'deploy');
  const onerror = (e: Error) => deps.log.warn(`mcp: ${e.message}`);
  // 2026-07-28 traffic: the SDK's per-request handler.
  const modern = createMcpHandler(factory, { legacy: 'reject', maxRequestBodySize, onerror });

  /**
   * 2025-era traffic, stateless as the SDK's own fallback serves it, but answered as plain JSON
   * rather than an event stream: no tool sends anything before its result, and writing a large
   * tools/list as SSE frames cost more CPU than building the whole answer (bench/remote-mcp.ts).
   */
  const legacy = async (request: Request, authInfo: AuthInfo, parsedBody: unknown): Promise<Response> => {
    if (request.method !== 'POST') {
      const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
      return new Response(body, { status: 405, headers: { 'content-type': 'application/json', allow: 'POST' } });
    }
    const server = await factory({ era: 'legacy', authInfo });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize });
    transport.onerror = onerror;
    await server.connect(transport);
    try {
      return await transport.handleRequest(request, { authInfo, ...(parsedBody === undefined ? {} : { parsedBody }) });
    } finally {
      void transport.close().catch(() => {});
      void server.close().catch(() => {});
    }
  };

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
    // The body is read and parsed once, for the era's classification and for the transport.
    const { request, parsedBody } = await readOnce(c.req.raw);
    const options = { authInfo, ...(parsedBody === undefined ? {} : { parsedBody }) };
    return (await isLegacyRequest(request, parsedBody, { maxRequestBodySize })) ? legacy(request, authInfo, parsedBody) : modern.fetch(request, options);
  });
  return app;
}
