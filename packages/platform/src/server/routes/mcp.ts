// {public url}/mcp (SPEC section 11): the stdio tools over the v2 SDK's HTTP handler, both protocol
// eras from one URL (2026-07-28 per-request envelopes, and the 2025-era Streamable HTTP served
// statelessly), so any instance answers any request. Every request carries a bearer: an `inv_` key
// (every scope) or an OAuth access token (its grant's scopes); the tools listed and callable are
// those of the scopes (toolsets.ts remoteSelection), and they run in process through the services
// (in-process-api.ts), never through HTTP to this server. The servers are reused per era and scopes
// (mcp-servers.ts), the principal read from each request. Browser-based clients call it from their
// own origin (cors.ts): it reads no cookie, and a request without this server's bearer is refused,
// so another origin gains nothing; DNS rebinding is refused by the Host check in front of every
// route (a rebound page's requests name the attacker's host, which this server does not answer).
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport, type AuthInfo, type McpServerFactory, type ServerContext } from '@modelcontextprotocol/server';
import { Hono, type Context } from 'hono';
import { AppError, toAppError } from 'invoker-mcp/errors.js';
import type { ToolContext } from 'invoker-mcp/mcp/define-tool.js';
import { createMcpServer } from 'invoker-mcp/mcp/server.js';
import { packageVersion } from 'invoker-mcp/version.js';
import { DEFAULT_SCOPES } from '../../oauth/scopes.js';
import type { BearerPrincipal } from '../../oauth/tokens.js';
import { bodyLimitBytes } from '../body-limits.js';
import type { AppDeps } from '../context.js';
import { errorAnswer } from '../http-errors.js';
import { exportLinkFor, inProcessApi } from '../in-process-api.js';
import { listAnswers, listKey, plainLegacyRequest, plainToolsListId, remoteServers } from '../mcp-servers.js';
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

  const dashboardUrl = `${deps.urls.publicUrl}/dashboard`;
  // What every remote tool call shares; the caller's part comes from the request (requestContext).
  const shared: ToolContext = {
    // The remote tools have no client configuration of their own: this server is their API.
    config: { apiUrl: deps.urls.publicUrl, envApiKey: undefined, configDir: '', noBrowser: true },
    api: async () => {
      throw new AppError('unauthenticated', 'No bearer on this request.');
    },
    currentKey: async () => null,
    remote: { dashboardUrl },
  };
  const requestContext = (ctx: ServerContext): Partial<ToolContext> => {
    // Set by the route below on every request it hands to the SDK, before the SDK sees it.
    const bearer = ctx.http?.authInfo?.extra?.bearer as BearerPrincipal | undefined;
    if (!bearer) return {};
    return {
      api: async () => inProcessApi(services, bearer.principal, { jsonDepth: deps.limits.jsonDepth }),
      remote: { dashboardUrl, exportLink: exportLinkFor(services, bearer.principal, deps.urls.publicUrl) },
    };
  };
  const servers = remoteServers((era, selection) => createMcpServer({ version, era, context: shared, requestContext, selection }));
  const answers = listAnswers();
  const bearerOf = (authInfo: AuthInfo | undefined) => authInfo?.extra?.bearer as BearerPrincipal;

  const factory: McpServerFactory = ({ era, authInfo }) => servers.checkout(era, bearerOf(authInfo).scopes);
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
    const { scopes } = bearerOf(authInfo);
    const listId = plainToolsListId(request, parsedBody);
    // initialize leaves the client's identity on the instance: that one is used once.
    const server = isInitialize(parsedBody) ? servers.once('legacy', scopes) : servers.checkout('legacy', scopes);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize });
    transport.onerror = onerror;
    await server.connect(transport);
    try {
      const response = await transport.handleRequest(request, { authInfo, ...(parsedBody === undefined ? {} : { parsedBody }) });
      return listId === undefined ? response : await answers.record(listKey(request, scopes), listId, response);
    } finally {
      // Closing the transport closes the server's side too, which puts a reused server back.
      await transport.close().catch(() => {});
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
    // A plain 2025-era tools/list: the SDK's answer for these scopes, once recorded (mcp-servers.ts).
    const listId = plainToolsListId(request, parsedBody);
    const known = listId === undefined ? undefined : answers.answer(listKey(request, bearer.scopes), listId);
    if (known) return known;
    // Any other plain 2025-era request: on a server that stays connected (mcp-servers.ts exchange).
    const plain = plainLegacyRequest(request, parsedBody);
    if (plain && listId === undefined) {
      const answer = await servers.exchange(bearer.scopes, plain, { authInfo, request });
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const options = { authInfo, ...(parsedBody === undefined ? {} : { parsedBody }) };
    return (await isLegacyRequest(request, parsedBody, { maxRequestBodySize })) ? legacy(request, authInfo, parsedBody) : modern.fetch(request, options);
  });
  return app;
}

/** A 2025-era initialize (alone or in a batch). */
function isInitialize(body: unknown): boolean {
  const isOne = (m: unknown) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize';
  return Array.isArray(body) ? body.some(isOne) : isOne(body);
}
