// The store's share of the OAuth authorization server (SPEC section 11): clients registered by
// Dynamic Client Registration, authorization codes, grants and their tokens. Every code and token
// arrives as its SHA-256 hash; the store never sees one in plaintext. Nothing here is cached: a
// grant is read from the database on every request, so a revocation holds on every instance's very
// next request (the read caches of cached-store.ts never hold OAuth rows).

/** How a client is known: a Client ID Metadata Document (its https URL) or a DCR registration. */
export type OAuthClientKind = 'cimd' | 'dcr';

export interface OAuthClientRecord {
  id: string;
  name: string;
  redirectUris: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a consent decided, bound into the code and then into the grant. */
export interface OAuthConsent {
  clientId: string;
  clientName: string;
  clientKind: OAuthClientKind;
  userId: string;
  orgId: string;
  /** Space-separated, in SCOPES order. */
  scopes: string;
  resource: string;
}

export interface OAuthCodeRecord extends OAuthConsent {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: string;
  usedAt: string | null;
  /** The grant its exchange created, once it was exchanged. */
  grantId: string | null;
}

export interface OAuthGrantRecord extends OAuthConsent {
  id: string;
  orgName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface OAuthTokenInput {
  tokenHash: string;
  kind: 'access' | 'refresh';
  expiresAt: string;
}

/** A presented token with its grant and the grant's user and org. */
export interface OAuthTokenLookup {
  kind: 'access' | 'refresh';
  expiresAt: string;
  /** Set on a refresh token once it was exchanged for a new pair. */
  rotatedAt: string | null;
  grant: OAuthGrantRecord;
  /** The same shapes as store.ts's UserRecord and OrgRecord (which import this file's interface). */
  user: { id: string; email: string; createdAt: string };
  org: { id: string; name: string; parentId: string | null; createdAt: string };
}

export interface OAuthStore {
  /** Registers a DCR client; DCR clients never used and registered before `unusedBefore` are deleted. */
  createOAuthClient(input: { id: string; name: string; redirectUris: string[]; now: string; unusedBefore: string }): Promise<OAuthClientRecord>;
  getOAuthClient(id: string): Promise<OAuthClientRecord | null>;
  /** Stores a code (by hash); codes that expired before `expiredBefore` are deleted. */
  createOAuthCode(input: OAuthCodeRecord & { codeHash: string; expiredBefore: string }): Promise<void>;
  /** Marks the code used; firstUse is true for exactly one caller. Null for an unknown code. */
  redeemOAuthCode(codeHash: string, now: string): Promise<{ code: OAuthCodeRecord; firstUse: boolean } | null>;
  /** The grant a redeemed code makes, with its first tokens; the code remembers the grant. */
  createOAuthGrant(input: OAuthConsent & { id: string; codeHash: string; now: string; tokens: OAuthTokenInput[] }): Promise<void>;
  findOAuthToken(tokenHash: string): Promise<OAuthTokenLookup | null>;
  /**
   * Spends a refresh token for new ones: 'rotated' for exactly one caller. A token already rotated
   * is a re-use: the whole grant is revoked in the same transaction and the answer is 'reused'.
   */
  rotateOAuthRefreshToken(input: { tokenHash: string; grantId: string; now: string; tokens: OAuthTokenInput[] }): Promise<'rotated' | 'reused'>;
  /** Revokes a grant (all its tokens with it); with userId, only one of that user's. False when none was live. */
  revokeOAuthGrant(grantId: string, userId: string | null, now: string): Promise<boolean>;
  touchOAuthGrant(grantId: string, now: string): Promise<void>;
  /** The user's live grants, newest first. */
  listOAuthGrants(userId: string): Promise<OAuthGrantRecord[]>;
}
