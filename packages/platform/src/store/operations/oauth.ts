// The OAuth authorization server's store operations (oauth-records.ts), once for both backends.
// Codes and refresh tokens change state by one conditional UPDATE each, so on any number of
// instances a code is exchanged once and a refresh token rotated once; the loser of a refresh race
// (or a thief replaying an old token) revokes the grant in the same transaction.
import type { OAuthClientKind, OAuthClientRecord, OAuthCodeRecord, OAuthGrantRecord, OAuthStore, OAuthTokenInput, OAuthTokenLookup } from '../oauth-records.js';
import { oauthClients, oauthCodes, oauthGrants, oauthTokens } from '../sql/statements.js';
import { all, get, rows, run, type Op, type Row } from '../sql/steps.js';

const text = (v: unknown) => String(v);
const textOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toClient(row: Row): OAuthClientRecord {
  return {
    id: text(row.id),
    name: text(row.name),
    redirectUris: JSON.parse(text(row.redirect_uris)) as string[],
    createdAt: text(row.created_at),
    lastUsedAt: textOrNull(row.last_used_at),
  };
}

function consentOf(row: Row) {
  return {
    clientId: text(row.client_id),
    clientName: text(row.client_name),
    clientKind: text(row.client_kind) as OAuthClientKind,
    userId: text(row.user_id),
    orgId: text(row.org_id),
    scopes: text(row.scopes),
    resource: text(row.resource),
  };
}

function toGrant(row: Row): OAuthGrantRecord {
  return {
    ...consentOf(row),
    id: text(row.id),
    orgName: text(row.org_name),
    createdAt: text(row.created_at),
    lastUsedAt: textOrNull(row.last_used_at),
    revokedAt: textOrNull(row.revoked_at),
  };
}

function* insertTokens(grantId: string, tokens: OAuthTokenInput[]): Op<void> {
  yield* rows(oauthTokens.insert, tokens.map((t) => [t.tokenHash, grantId, t.kind, t.expiresAt]));
}

export function* createClient(input: Parameters<OAuthStore['createOAuthClient']>[0]): Op<OAuthClientRecord> {
  yield* run(oauthClients.deleteUnused, input.unusedBefore);
  yield* run(oauthClients.insert, input.id, input.name, JSON.stringify(input.redirectUris), input.now);
  return { id: input.id, name: input.name, redirectUris: input.redirectUris, createdAt: input.now, lastUsedAt: null };
}

export function* getClient(id: string): Op<OAuthClientRecord | null> {
  const row = yield* get(oauthClients.byId, id);
  return row ? toClient(row) : null;
}

export function* createCode(input: Parameters<OAuthStore['createOAuthCode']>[0]): Op<void> {
  yield* run(oauthCodes.deleteExpired, input.expiredBefore);
  yield* run(
    oauthCodes.insert,
    input.codeHash,
    input.clientId,
    input.clientName,
    input.clientKind,
    input.userId,
    input.orgId,
    input.scopes,
    input.resource,
    input.redirectUri,
    input.codeChallenge,
    input.expiresAt,
  );
}

export function* redeemCode(codeHash: string, now: string): Op<{ code: OAuthCodeRecord; firstUse: boolean } | null> {
  const row = yield* get(oauthCodes.byHash, codeHash);
  if (!row) return null;
  const code: OAuthCodeRecord = {
    ...consentOf(row),
    redirectUri: text(row.redirect_uri),
    codeChallenge: text(row.code_challenge),
    expiresAt: text(row.expires_at),
    usedAt: textOrNull(row.used_at),
    grantId: textOrNull(row.grant_id),
  };
  const firstUse = (yield* run(oauthCodes.use, now, codeHash)) === 1;
  return { code, firstUse };
}

export function* createGrant(input: Parameters<OAuthStore['createOAuthGrant']>[0]): Op<void> {
  yield* run(oauthGrants.insert, input.id, input.clientId, input.clientName, input.clientKind, input.userId, input.orgId, input.scopes, input.resource, input.now);
  yield* insertTokens(input.id, input.tokens);
  yield* run(oauthCodes.setGrant, input.id, input.codeHash);
  // A DCR client that was used is kept (the unused ones expire); CIMD ids match no row.
  yield* run(oauthClients.touch, input.now, input.clientId);
}

export function* findToken(tokenHash: string): Op<OAuthTokenLookup | null> {
  const row = yield* get(oauthTokens.lookup, tokenHash);
  if (!row) return null;
  return {
    kind: text(row.token_kind) as OAuthTokenLookup['kind'],
    expiresAt: text(row.token_expires_at),
    rotatedAt: textOrNull(row.rotated_at),
    grant: toGrant(row),
    user: { id: text(row.user_id), email: text(row.email), createdAt: text(row.user_created_at) },
    org: { id: text(row.org_id), name: text(row.org_name), parentId: textOrNull(row.parent_id), createdAt: text(row.org_created_at) },
  };
}

export function* rotateRefresh(input: Parameters<OAuthStore['rotateOAuthRefreshToken']>[0]): Op<'rotated' | 'reused'> {
  if ((yield* run(oauthTokens.rotate, input.now, input.tokenHash, input.grantId)) !== 1) {
    yield* run(oauthGrants.revoke, input.now, input.grantId);
    return 'reused';
  }
  yield* run(oauthTokens.deleteExpired, input.now);
  yield* insertTokens(input.grantId, input.tokens);
  yield* run(oauthGrants.touch, input.now, input.grantId);
  return 'rotated';
}

export function* revokeGrant(grantId: string, userId: string | null, now: string): Op<boolean> {
  const changed = userId === null ? yield* run(oauthGrants.revoke, now, grantId) : yield* run(oauthGrants.revokeOfUser, now, grantId, userId);
  return changed === 1;
}

export function* touchGrant(grantId: string, now: string): Op<void> {
  yield* run(oauthGrants.touch, now, grantId);
}

export function* listGrants(userId: string): Op<OAuthGrantRecord[]> {
  return (yield* all(oauthGrants.liveOfUser, userId)).map(toGrant);
}
