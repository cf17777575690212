// The authorization endpoint's rules (SPEC section 11, OAuth 2.1 §4.1): which requests are valid,
// and the code an approved consent makes. PKCE with S256 only; the redirect URI must match one the
// client registered; `resource` (RFC 8707) is the /mcp URL or absent; scopes are SCOPES. An error
// found before the client and its redirect URI are known is shown to the person (never sent to an
// unverified address); later errors go back to the client on its redirect URI (`redirectable`).
import { randomBytes } from 'node:crypto';
import { AppError } from 'invoker-mcp/errors.js';
import { sha256Hex } from '../services/login-secrets.js';
import type { ServiceDeps } from '../services/deps.js';
import type { OAuthClient } from './clients.js';
import { oauthError } from './errors.js';
import { redirectUriMatches } from './redirect-uris.js';
import { parseScopes, scopesText, type Scope } from './scopes.js';

export const CODE_TTL_MS = 60_000;
const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The query of GET /oauth/authorize, as the consent form carries it back. */
export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  scope?: string;
  state?: string;
  resource?: string;
}

export const AUTHORIZE_PARAM_NAMES = ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'scope', 'state', 'resource'] as const;

/** A request the consent page may show. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  codeChallenge: string;
  scopes: Scope[];
  state: string | null;
  resource: string;
}

/** An error to send back to the client's redirect URI (it is verified by then). */
export class RedirectableError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | null,
    readonly error: AppError,
  ) {
    super(error.message);
  }
}

/** Where the client is sent back: its redirect URI with these parameters and `iss` (RFC 9207). */
export function redirectTo(redirectUri: string, issuer: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  url.searchParams.set('iss', issuer);
  return url.href;
}

export function resourceOf(deps: Pick<ServiceDeps, 'urls'>): string {
  return `${deps.urls.publicUrl}/mcp`;
}

/** RFC 8707: absent means the /mcp endpoint; anything else is invalid_target. */
export function checkResource(deps: Pick<ServiceDeps, 'urls'>, resource: string | undefined | null): string {
  const ours = resourceOf(deps);
  if (resource === undefined || resource === null || resource === '') return ours;
  if (resource !== ours) throw oauthError('invalid_target', `This server issues tokens only for ${ours}; resource ${JSON.stringify(resource.slice(0, 200))} is not it.`);
  return ours;
}

export function authorizationRules(deps: Pick<ServiceDeps, 'store' | 'now' | 'urls'>, findClient: (id: string) => Promise<OAuthClient>) {
  return {
    /** Checks a request; throws AppError (show it) or RedirectableError (send it to the client). */
    async check(params: AuthorizeParams): Promise<AuthorizationRequest> {
      if (!params.client_id) throw oauthError('invalid_request', 'client_id is missing: start again from your app.');
      const client = await findClient(params.client_id);
      const redirectUri = params.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0]! : '');
      if (!redirectUri) throw oauthError('invalid_request', 'redirect_uri is missing and the client registered several.');
      if (!redirectUriMatches(redirectUri, client.redirectUris)) {
        throw oauthError('invalid_request', `The redirect URI ${JSON.stringify(redirectUri.slice(0, 200))} is not one this client registered, so this page will not send you there.`);
      }
      const state = params.state ?? null;
      const back = (e: AppError) => new RedirectableError(redirectUri, state, e);
      if (state !== null && state.length > 1000) throw back(oauthError('invalid_request', 'state is longer than 1000 characters.'));
      if (params.response_type !== 'code') throw back(oauthError('unsupported_response_type', 'Only response_type=code is supported.'));
      if (!params.code_challenge) throw back(oauthError('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.'));
      if (params.code_challenge_method !== 'S256') throw back(oauthError('invalid_request', 'Only code_challenge_method=S256 is supported (plain is refused).'));
      if (!PKCE_CHALLENGE.test(params.code_challenge)) throw back(oauthError('invalid_request', 'code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~.'));
      let scopes: Scope[];
      let resource: string;
      try {
        scopes = parseScopes(params.scope);
        resource = checkResource(deps, params.resource);
      } catch (e) {
        throw back(e as AppError);
      }
      return { client, redirectUri, codeChallenge: params.code_challenge, scopes, state, resource };
    },

    /** The person allowed it: a single-use code for 60 s, bound to everything the token needs. */
    async approve(request: AuthorizationRequest, consent: { userId: string; orgId: string; scopes: Scope[] }): Promise<string> {
      if (consent.scopes.length === 0) throw oauthError('invalid_scope', 'Choose at least one permission.');
      const code = randomBytes(32).toString('base64url');
      const now = deps.now().getTime();
      await deps.store.createOAuthCode({
        codeHash: sha256Hex(code),
        clientId: request.client.id,
        clientName: request.client.name,
        clientKind: request.client.kind,
        userId: consent.userId,
        orgId: consent.orgId,
        scopes: scopesText(consent.scopes),
        resource: request.resource,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        expiresAt: new Date(now + CODE_TTL_MS).toISOString(),
        usedAt: null,
        grantId: null,
        expiredBefore: new Date(now - 86_400_000).toISOString(),
      });
      return redirectTo(request.redirectUri, deps.urls.publicUrl, { code, state: request.state });
    },
  };
}
