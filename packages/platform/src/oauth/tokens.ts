// The token endpoint, revocation and the bearer check (SPEC section 11). Tokens are opaque random
// strings, stored only as SHA-256: access tokens last an hour, refresh tokens 30 days and slide
// (each use hands out a new one and spends the old). A spent refresh token presented again means
// two parties hold it: the whole grant is revoked (OAuth 2.1 §4.3.1). A code used twice revokes the
// grant its first use made. Every token is bound to the /mcp resource (RFC 8707).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from 'invoker-mcp/contract/api-key.js';
import { AppError } from 'invoker-mcp/errors.js';
import { sha256Hex } from '../services/login-secrets.js';
import type { ServiceDeps } from '../services/deps.js';
import type { KeyPrincipal } from '../store/store.js';
import type { OAuthGrantRecord, OAuthTokenInput, OAuthTokenLookup } from '../store/oauth-records.js';

/** A grant as Connected apps lists it. */
export type OAuthGrant = OAuthGrantRecord;
import { checkResource } from './authorization.js';
import { oauthError } from './errors.js';
import { storedScopes, type Scope } from './scopes.js';

export const ACCESS_TTL_SECONDS = 3600;
export const REFRESH_TTL_SECONDS = 30 * 86_400;
const TOUCH_INTERVAL_MS = 60_000;
const ACCESS_PREFIX = 'ioa_';
const REFRESH_PREFIX = 'ior_';

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** The token endpoint's form fields (application/x-www-form-urlencoded). */
export type TokenForm = Partial<Record<'grant_type' | 'code' | 'redirect_uri' | 'code_verifier' | 'client_id' | 'refresh_token' | 'resource' | 'scope', string>>;

export type TokenDeps = Pick<ServiceDeps, 'store' | 'now' | 'urls'>;

function newPair(now: number): { access: string; refresh: string; rows: OAuthTokenInput[] } {
  const access = `${ACCESS_PREFIX}${randomBytes(32).toString('base64url')}`;
  const refresh = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
  return {
    access,
    refresh,
    rows: [
      { tokenHash: sha256Hex(access), kind: 'access', expiresAt: new Date(now + ACCESS_TTL_SECONDS * 1000).toISOString() },
      { tokenHash: sha256Hex(refresh), kind: 'refresh', expiresAt: new Date(now + REFRESH_TTL_SECONDS * 1000).toISOString() },
    ],
  };
}

function answer(pair: { access: string; refresh: string }, scopes: string): TokenAnswer {
  return { access_token: pair.access, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS, refresh_token: pair.refresh, scope: scopes };
}

/** Constant-time equality of two strings (the PKCE challenge check). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const required = (form: TokenForm, field: keyof TokenForm): string => {
  const value = form[field];
  if (!value) throw oauthError('invalid_request', `${field} is missing.`);
  return value;
};

/** What a verified bearer acts as: a principal like a key's, limited to its scopes. */
export interface BearerPrincipal {
  principal: KeyPrincipal;
  scopes: Scope[];
  /** The grant, for OAuth access tokens; null for an `inv_` key. */
  grantId: string | null;
}

/** A grant acts like a key of its org (SPEC section 11): the same reach rules, its own name. */
function principalOfGrant(found: OAuthTokenLookup): KeyPrincipal {
  const { grant } = found;
  return {
    key: { id: grant.id, orgId: grant.orgId, userId: grant.userId, name: `${grant.clientName} (connected app)`, preview: 'oauth', createdAt: grant.createdAt, lastUsedAt: grant.lastUsedAt },
    user: found.user,
    org: found.org,
  };
}

export function tokenRules(deps: TokenDeps) {
  const isLive = (found: OAuthTokenLookup | null, kind: 'access' | 'refresh', now: Date): found is OAuthTokenLookup =>
    found !== null && found.kind === kind && found.grant.revokedAt === null && Date.parse(found.expiresAt) > now.getTime();

  async function exchangeCode(form: TokenForm): Promise<TokenAnswer> {
    const code = required(form, 'code');
    const verifier = required(form, 'code_verifier');
    const nowDate = deps.now();
    const redeemed = await deps.store.redeemOAuthCode(sha256Hex(code), nowDate.toISOString());
    if (!redeemed) throw oauthError('invalid_grant', 'Unknown authorization code: start the sign-in again.');
    const { code: record, firstUse } = redeemed;
    if (!firstUse) {
      // The code leaked or was replayed: whatever it bought is withdrawn.
      if (record.grantId) await deps.store.revokeOAuthGrant(record.grantId, null, nowDate.toISOString());
      throw oauthError('invalid_grant', 'This authorization code was already used; the access it gave is revoked. Start the sign-in again.');
    }
    if (Date.parse(record.expiresAt) <= nowDate.getTime()) throw oauthError('invalid_grant', 'This authorization code expired (codes last 60 seconds). Start the sign-in again.');
    if (form.client_id !== undefined && form.client_id !== record.clientId) throw oauthError('invalid_grant', 'This code was issued to another client.');
    if (form.redirect_uri !== undefined && form.redirect_uri !== record.redirectUri) throw oauthError('invalid_grant', 'redirect_uri differs from the one the code was issued for.');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !sameText(challenge, record.codeChallenge)) {
      throw oauthError('invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256).');
    }
    if (checkResource(deps, form.resource) !== record.resource) throw oauthError('invalid_target', 'resource differs from the one consented to.');
    const pair = newPair(nowDate.getTime());
    await deps.store.createOAuthGrant({
      id: `oag_${randomBase62(16)}`,
      clientId: record.clientId,
      clientName: record.clientName,
      clientKind: record.clientKind,
      userId: record.userId,
      orgId: record.orgId,
      scopes: record.scopes,
      resource: record.resource,
      codeHash: sha256Hex(code),
      now: nowDate.toISOString(),
      tokens: pair.rows,
    });
    return answer(pair, record.scopes);
  }

  async function refresh(form: TokenForm): Promise<TokenAnswer> {
    const token = required(form, 'refresh_token');
    const now = deps.now();
    const found = await deps.store.findOAuthToken(sha256Hex(token));
    if (!found || found.kind !== 'refresh' || found.grant.revokedAt !== null) throw oauthError('invalid_grant', 'Unknown or revoked refresh token: sign in again.');
    if (form.client_id !== undefined && form.client_id !== found.grant.clientId) throw oauthError('invalid_grant', 'This refresh token was issued to another client.');
    if (Date.parse(found.expiresAt) <= now.getTime()) throw oauthError('invalid_grant', 'This refresh token expired (30 days unused): sign in again.');
    if (checkResource(deps, form.resource) !== found.grant.resource) throw oauthError('invalid_target', 'resource differs from the one consented to.');
    const pair = newPair(now.getTime());
    const outcome = await deps.store.rotateOAuthRefreshToken({ tokenHash: sha256Hex(token), grantId: found.grant.id, now: now.toISOString(), tokens: pair.rows });
    if (outcome === 'reused') {
      throw oauthError('invalid_grant', 'This refresh token was already used, so another party may hold it: the connection is revoked. Connect the app again.');
    }
    return answer(pair, found.grant.scopes);
  }

  return {
    /** POST /oauth/token. */
    async token(form: TokenForm): Promise<TokenAnswer> {
      switch (form.grant_type) {
        case 'authorization_code':
          return exchangeCode(form);
        case 'refresh_token':
          return refresh(form);
        case undefined:
        case '':
          throw oauthError('invalid_request', 'grant_type is missing.');
        default:
          throw oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
      }
    },

    /** POST /oauth/revoke (RFC 7009): the token's grant ends; unknown tokens are answered the same. */
    async revoke(form: Pick<TokenForm, 'client_id'> & { token?: string }): Promise<void> {
      if (!form.token) throw oauthError('invalid_request', 'token is missing.');
      const found = await deps.store.findOAuthToken(sha256Hex(form.token));
      if (!found || (form.client_id !== undefined && form.client_id !== found.grant.clientId)) return;
      await deps.store.revokeOAuthGrant(found.grant.id, null, deps.now().toISOString());
    },

    /** An OAuth access token as the principal it acts as; unauthenticated (invalid_token) otherwise. */
    async authenticate(token: string): Promise<BearerPrincipal> {
      const now = deps.now();
      const found = await deps.store.findOAuthToken(sha256Hex(token));
      if (!isLive(found, 'access', now)) {
        throw oauthError('invalid_token', 'The access token is invalid, expired or revoked: refresh it, or connect the app again.');
      }
      if (found.grant.resource !== checkResource(deps, null)) throw oauthError('invalid_token', 'This token was issued for another resource.');
      const last = found.grant.lastUsedAt ? Date.parse(found.grant.lastUsedAt) : 0;
      if (now.getTime() - last >= TOUCH_INTERVAL_MS) await deps.store.touchOAuthGrant(found.grant.id, now.toISOString());
      return { principal: principalOfGrant(found), scopes: storedScopes(found.grant.scopes), grantId: found.grant.id };
    },

    /** "Connected apps": the user's live grants. */
    listGrants: (userId: string): Promise<OAuthGrantRecord[]> => deps.store.listOAuthGrants(userId),

    /** Revokes one of the user's grants; not_found when it is not theirs or already gone. */
    async revokeGrant(userId: string, grantId: string): Promise<void> {
      if (!(await deps.store.revokeOAuthGrant(grantId, userId, deps.now().toISOString()))) {
        throw new AppError('not_found', 'Connected app not found: it may be revoked already. Reload the page.');
      }
    },
  };
}
