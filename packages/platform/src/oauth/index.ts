// The platform as its own OAuth 2.1 authorization server (SPEC section 11), written here rather than
// on a library: see docs/SECURITY.md "Remote MCP and OAuth" for why. One object per server, built
// over the services' deps: clients (CIMD and DCR), the authorization endpoint's rules, the token
// endpoint, revocation, the bearer check of /mcp (an `inv_` key or an access token) and the
// metadata documents.
import { isWellFormedApiKey } from 'invoker-mcp/contract/api-key.js';
import type { RateLimiterFactory } from '../rate-limiter.js';
import type { ServiceDeps } from '../services/deps.js';
import type { KeysService } from '../services/keys.js';
import { authorizationRules, resourceOf } from './authorization.js';
import { clientsService } from './clients.js';
import { SCOPES } from './scopes.js';
import { tokenRules, type BearerPrincipal } from './tokens.js';

export type OAuthDeps = Pick<ServiceDeps, 'store' | 'now' | 'urls' | 'outbound'>;

/** Dynamic Client Registrations per client IP per minute. */
export const REGISTRATIONS_PER_MINUTE = 10;

export type OAuthService = ReturnType<typeof oauthService>;

export function oauthService(deps: OAuthDeps, keys: KeysService, rateLimiters: RateLimiterFactory) {
  const clients = clientsService(deps, rateLimiters({ name: 'oauth-registrations', limit: REGISTRATIONS_PER_MINUTE, windowMs: 60_000 }));
  const authorization = authorizationRules(deps, clients.find);
  const tokens = tokenRules(deps);
  const issuer = () => deps.urls.publicUrl;

  return {
    clients,
    authorization,
    tokens,
    resource: () => resourceOf(deps),
    issuer,

    /** The /mcp bearer: an `inv_` key acts with every scope, an access token with its grant's. */
    async authenticate(bearer: string): Promise<BearerPrincipal> {
      if (isWellFormedApiKey(bearer) || bearer.startsWith('inv_')) {
        return { principal: await keys.authenticate(bearer), scopes: [...SCOPES], grantId: null };
      }
      return tokens.authenticate(bearer);
    },

    /** RFC 9728: the /mcp resource and the one authorization server (this platform). */
    protectedResourceMetadata() {
      return {
        resource: resourceOf(deps),
        authorization_servers: [issuer()],
        scopes_supported: [...SCOPES],
        bearer_methods_supported: ['header'],
        resource_name: 'Invoker',
        resource_documentation: `${issuer()}/`,
      };
    },

    /** RFC 8414. */
    authorizationServerMetadata() {
      const base = issuer();
      return {
        issuer: base,
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        registration_endpoint: `${base}/oauth/register`,
        revocation_endpoint: `${base}/oauth/revoke`,
        scopes_supported: [...SCOPES],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        revocation_endpoint_auth_methods_supported: ['none'],
        code_challenge_methods_supported: ['S256'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      };
    },
  };
}
