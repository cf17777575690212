// The remote MCP endpoint and the OAuth 2.1 authorization server on the wire (SPEC section 11): the
// schemas of their requests and answers, and their rows of the route table (routes.ts spreads
// OAUTH_ROUTES into ROUTES). OAuth errors are RFC 6749 §5.2's `{error, error_description}` plus the
// house `code`, so a client of either kind reads them; /mcp speaks JSON-RPC (its errors are
// JSON-RPC error objects) except for the 401 challenge in front of it.
import { z } from 'zod';
import { failure, FORM_TYPE, HTML_TYPE, json, named, noContent, page, type Answer, type Answers } from './responses.js';

export const OAuthErrorSchema = named(
  'OAuthError',
  z.object({
    error: z.string().describe('The OAuth error code: invalid_request, invalid_client, invalid_grant, invalid_scope, invalid_target, unsupported_grant_type, invalid_redirect_uri, invalid_client_metadata'),
    error_description: z.string().describe('What went wrong and what to do next'),
    code: z.string().describe('The same failure in the house vocabulary (invalid_input, unauthenticated, …)'),
  }),
);

export const ProtectedResourceMetadataSchema = named(
  'OAuthProtectedResourceMetadata',
  z.looseObject({ resource: z.string(), authorization_servers: z.array(z.string()), scopes_supported: z.array(z.string()), bearer_methods_supported: z.array(z.string()) }),
);

export const AuthorizationServerMetadataSchema = named(
  'OAuthAuthorizationServerMetadata',
  z.looseObject({
    issuer: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    registration_endpoint: z.string(),
    revocation_endpoint: z.string(),
    scopes_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.literal('S256')),
    client_id_metadata_document_supported: z.literal(true),
  }),
);

const text = (max: number, what: string) => z.string().max(max).optional().describe(what);

export const ClientRegistrationRequestSchema = z.looseObject({
  redirect_uris: z.array(z.string().max(2000)).max(10).optional().describe('https, loopback http (any port) or an app scheme; javascript:, data: and the like are refused'),
  client_name: text(200, 'Shown on the consent page as unverified'),
  token_endpoint_auth_method: z.string().max(100).optional().describe('"none": public clients only (PKCE)'),
  grant_types: z.array(z.string().max(100)).max(5).optional(),
  response_types: z.array(z.string().max(100)).max(5).optional(),
});

export const RegisteredClientSchema = named(
  'OAuthRegisteredClient',
  z.object({
    client_id: z.string(),
    client_id_issued_at: z.number().int(),
    client_name: z.string(),
    redirect_uris: z.array(z.string()),
    grant_types: z.array(z.string()),
    response_types: z.array(z.string()),
    token_endpoint_auth_method: z.literal('none'),
  }),
);

export const TokenRequestSchema = z.object({
  grant_type: text(100, 'authorization_code or refresh_token'),
  code: text(200, 'The code from the redirect (authorization_code)'),
  redirect_uri: text(2000, 'The redirect URI the code was issued for'),
  code_verifier: text(200, 'The PKCE verifier (S256)'),
  client_id: text(2000, 'Your client id (a metadata document URL or a registered id)'),
  refresh_token: text(200, 'The refresh token (refresh_token); each is used once'),
  resource: text(2000, 'RFC 8707: {public url}/mcp, or leave it out'),
  scope: text(200, 'Ignored: a token carries the scopes consented to'),
});

export const TokenResponseSchema = named(
  'OAuthTokens',
  z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), refresh_token: z.string(), scope: z.string() }),
);

const RevokedSchema = named('OAuthRevoked', z.object({}));

export const RevocationRequestSchema = z.object({
  token: text(200, 'An access or refresh token: the grant it belongs to ends'),
  token_type_hint: text(100, 'Ignored'),
  client_id: text(2000, 'Your client id'),
});

const AUTHORIZE_FIELD = (what: string) => z.string().max(4000).optional().describe(what);

/** GET /oauth/authorize's query, which the consent forms carry back as hidden fields. */
export const AuthorizeQuerySchema = z.object({
  response_type: AUTHORIZE_FIELD('code'),
  client_id: AUTHORIZE_FIELD('A metadata document URL (https) or a registered client id'),
  redirect_uri: AUTHORIZE_FIELD('One the client registered'),
  code_challenge: AUTHORIZE_FIELD('PKCE S256 challenge'),
  code_challenge_method: AUTHORIZE_FIELD('S256 (plain is refused)'),
  scope: AUTHORIZE_FIELD('Space-separated: read, deploy, forms, admin (none: read deploy)'),
  state: AUTHORIZE_FIELD('Returned on the redirect'),
  resource: AUTHORIZE_FIELD('RFC 8707: {public url}/mcp'),
});

/** The consent page's form posts: the request, and each step's own fields. */
export const ConsentFormSchema = AuthorizeQuerySchema.extend({
  email: z.string().max(254).optional(),
  code: z.string().max(20).optional(),
  _csrf: z.string().max(200).optional(),
  org: z.string().max(100).optional(),
  decision: z.enum(['allow', 'deny']).optional(),
  /** The ticked permissions (the request's own `scope` is a hidden field of the same form). */
  grant_scope: z.union([z.string().max(100), z.array(z.string().max(100)).max(10)]).optional(),
});

const JsonRpcSchema = named('JsonRpcMessage', z.looseObject({ jsonrpc: z.literal('2.0') }));
const JsonRpcErrorSchema = named(
  'JsonRpcError',
  z.looseObject({ jsonrpc: z.literal('2.0'), error: z.looseObject({ code: z.number().int(), message: z.string() }), id: z.unknown().describe('The request id (null when the request could not be read)') }),
);

const answers = (...list: Array<[number, Answer]>): Answers => Object.fromEntries(list);
const oauthFailure = (status: number, description: string): [number, Answer] => [status, json(OAuthErrorSchema, description)];
const rpcError = (status: number, description: string): [number, Answer] => [status, json(JsonRpcErrorSchema, description)];
const challenge = failure('unauthenticated', 'No bearer, or one that is not a live key or access token: WWW-Authenticate names the resource metadata (and error="invalid_token" for a bad one).', ['WWW-Authenticate']);
/**
 * What browser-based clients on other origins reach (the MCP Inspector in a browser, web apps: the
 * platform's server/cors.ts): discovery, registration, tokens, revocation and /mcp itself, never a
 * page that reads a cookie. Their preflights are answered before every limit.
 */
export const CROSS_ORIGIN_PATHS = [
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
  '/.well-known/oauth-authorization-server',
  '/oauth/register',
  '/oauth/token',
  '/oauth/revoke',
  '/mcp',
] as const;

const preflight = (path: string) =>
  ({
    method: 'OPTIONS',
    path,
    summary: 'CORS preflight of a browser-based client on another origin (any origin, no credentials)',
    tag: 'platform',
    auth: 'none',
    scoped: false,
    bare: true,
    answers: answers([204, noContent('The methods and headers such a client may use (Access-Control-Allow-*).')]),
  }) as const;
const consentPage = (description: string): [number, Answer] => [200, page(description)];
const toClient: [number, Answer] = [303, { description: 'Back to the client: its redirect URI with `code` (or `error`), `state` and `iss`; or the next step of the page.', headers: ['Location'] }];
const pageError = (status: number, description: string): [number, Answer] => [status, { description, content: { [HTML_TYPE]: 'text' } }];
const consentForms = { [FORM_TYPE]: ConsentFormSchema };
const metadata = (schema: z.ZodType, description: string) => answers([200, json(schema, description)]);

/** Rows of routes.ts's table (typed there: importing RouteSpec here would make an import circle). */
export const OAUTH_ROUTES = [
  { method: 'GET', path: '/.well-known/oauth-protected-resource', summary: 'RFC 9728: the /mcp resource and its authorization server', tag: 'platform', auth: 'none', scoped: false,
    answers: metadata(ProtectedResourceMetadataSchema, 'The protected-resource metadata of {public url}/mcp.') },
  { method: 'GET', path: '/.well-known/oauth-protected-resource/mcp', summary: 'The same, at the path RFC 9728 derives from the resource URL', tag: 'platform', auth: 'none', scoped: false,
    answers: metadata(ProtectedResourceMetadataSchema, 'The protected-resource metadata of {public url}/mcp.') },
  { method: 'GET', path: '/.well-known/oauth-authorization-server', summary: 'RFC 8414: the authorization server metadata (issuer = the public URL)', tag: 'platform', auth: 'none', scoped: false,
    answers: metadata(AuthorizationServerMetadataSchema, 'The authorization server metadata.') },
  { method: 'POST', path: '/oauth/register', summary: 'Dynamic Client Registration (RFC 7591; public clients; unused ones expire after 30 days)', tag: 'auth', auth: 'none', scoped: false, body: ClientRegistrationRequestSchema,
    answers: answers([201, json(RegisteredClientSchema, 'The client, with its client_id.')], oauthFailure(400, 'invalid_redirect_uri (a refused scheme, non-loopback http, a fragment) or invalid_client_metadata; invalid_request for a body that is not JSON.'), failure('rate_limited', 'More than 10 registrations a minute from your address.', ['Retry-After'])) },
  { method: 'POST', path: '/oauth/token', summary: 'Exchange a code (PKCE S256) or a refresh token (rotated on every use) for tokens', tag: 'auth', auth: 'none', scoped: false, body: TokenRequestSchema, forms: { [FORM_TYPE]: TokenRequestSchema },
    answers: answers([200, json(TokenResponseSchema, 'An access token (1 hour) and a new refresh token (30 days).')], oauthFailure(400, 'invalid_request, invalid_grant (unknown, used, expired code; wrong verifier; spent refresh token, which revokes the grant), invalid_target, unsupported_grant_type.')) },
  { method: 'POST', path: '/oauth/revoke', summary: 'Revoke a token and its whole grant (RFC 7009)', tag: 'auth', auth: 'none', scoped: false, body: RevocationRequestSchema, forms: { [FORM_TYPE]: RevocationRequestSchema },
    answers: answers([200, json(RevokedSchema, 'Done (also for a token that was unknown).')], oauthFailure(400, 'No token given.')) },
  { method: 'GET', path: '/oauth/authorize', summary: 'The consent page: sign in with an emailed code, then allow the client (org, scopes)', tag: 'auth', auth: 'none', scoped: false, query: AuthorizeQuerySchema,
    answers: answers(consentPage('The sign-in step, or the consent form.'), toClient, pageError(400, 'An unknown client, an unregistered redirect URI, an unreadable metadata document: said on the page, never sent anywhere.'), pageError(500, 'A failure inside the server, on a page.')) },
  { method: 'POST', path: '/oauth/authorize/email', summary: 'Consent page: mail a sign-in code', tag: 'auth', auth: 'none', scoped: false, forms: consentForms,
    answers: answers(consentPage('The code step.'), toClient, pageError(400, 'Not an email address, or a request that is not valid.'), pageError(403, 'Not posted from this page (Origin).'), pageError(429, 'Too many codes for this address or email.')) },
  { method: 'POST', path: '/oauth/authorize/code', summary: 'Consent page: check the code and sign in', tag: 'auth', auth: 'none', scoped: false, forms: consentForms,
    answers: answers(toClient, pageError(400, 'A wrong code, or a sign-in that has ended.'), pageError(403, 'Not posted from this page (Origin).'), pageError(429, 'Too many tries.')) },
  { method: 'POST', path: '/oauth/authorize', summary: 'Consent page: allow (a code for the client) or cancel', tag: 'auth', auth: 'none', scoped: false, forms: consentForms,
    answers: answers(toClient, pageError(400, 'No permission ticked (the form again), or a request that is not valid.'), pageError(401, 'Not signed in.'), pageError(403, 'No or a wrong CSRF token, or not posted from this page.'), pageError(404, 'An organization you cannot reach.')) },
  { method: 'POST', path: '/mcp', summary: 'The MCP endpoint: 2026-07-28 and 2025-era Streamable HTTP, stateless; Bearer inv_ key or OAuth access token', tag: 'platform', auth: 'none', scoped: false,
    answers: answers(
      [200, { description: 'The JSON-RPC answer, as JSON or as an event stream.', content: { 'application/json': JsonRpcSchema, 'text/event-stream': 'text' } }],
      [202, noContent('A notification or response, accepted.')],
      rpcError(400, 'Not a JSON-RPC message, or an envelope that disagrees with its headers.'),
      challenge,
      rpcError(406, 'A 2025-era request whose Accept lacks application/json and text/event-stream.'),
      rpcError(415, 'A body that is not application/json.'),
    ) },
  { method: 'GET', path: '/mcp', summary: 'Not served: the endpoint is stateless (no server-initiated stream)', tag: 'platform', auth: 'none', scoped: false,
    answers: answers(challenge, rpcError(405, 'Method not allowed.')) },
  { method: 'DELETE', path: '/mcp', summary: 'Not served: there are no sessions to end', tag: 'platform', auth: 'none', scoped: false,
    answers: answers(challenge, rpcError(405, 'Method not allowed.')) },
  ...CROSS_ORIGIN_PATHS.map(preflight),
] as const;
