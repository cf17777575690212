// Users, organizations and API keys: each store operation once, for both backends (see ../sql/steps.ts).
import { newId } from 'invoker-mcp/contract/ids.js';
import { personalOrgName, toApiKey, toOrg, toPrincipal, toUser } from '../shared.js';
import { apiKeys, orgs, users } from '../sql/statements.js';
import { all, get, notify, run, write, type Op, type Row } from '../sql/steps.js';
import type { ApiKeyRecord, KeyPrincipal, OrgRecord, Store, UserRecord } from '../store.js';

export function* ensureUser(email: string, now: string): Op<{ user: UserRecord; org: OrgRecord; created: boolean }> {
  const normalised = email.trim().toLowerCase();
  const inserted = yield* get(users.insertIfNew, newId('usr'), normalised, now);
  if (inserted) {
    const user = toUser(inserted);
    return { user, org: yield* insertOrg(user.id, personalOrgName(normalised), null, now), created: true };
  }
  // Locked, so two first requests of a user without a personal org create only one.
  const user = toUser((yield* get(users.byEmail, normalised)) as Row);
  const org = yield* get(orgs.personal, user.id);
  if (org) return { user, org: toOrg(org), created: false };
  return { user, org: yield* insertOrg(user.id, personalOrgName(normalised), null, now), created: false };
}

export function* insertOrg(ownerUserId: string, name: string, parentId: string | null, now: string): Op<OrgRecord> {
  const org: OrgRecord = { id: newId('org'), name, parentId, createdAt: now };
  yield* write(orgs.insert, org.id, name, parentId, ownerUserId, now);
  return org;
}

export function* getOrg(orgId: string): Op<OrgRecord | null> {
  const row = yield* get(orgs.byId, orgId);
  return row ? toOrg(row) : null;
}

export function* listSubOrgs(parentId: string): Op<OrgRecord[]> {
  return (yield* all(orgs.children, parentId)).map(toOrg);
}

export function* listOrgsForUser(userId: string): Op<OrgRecord[]> {
  return (yield* all(orgs.forUser, userId, userId)).map(toOrg);
}

export function* deleteSubOrg(parentId: string, orgId: string): Op<boolean> {
  if ((yield* run(orgs.deleteChild, orgId, parentId)) !== 1) return false;
  yield* notify({ kind: 'org', orgId });
  return true;
}

export function* createApiKey(input: Parameters<Store['createApiKey']>[0]): Op<ApiKeyRecord> {
  yield* write(apiKeys.insert, input.id, input.orgId, input.userId, input.name, input.keyHash, input.preview, input.now);
  const { id, orgId, userId, name, preview, now } = input;
  return { id, orgId, userId, name, preview, createdAt: now, lastUsedAt: null };
}

export function* findPrincipalByKeyHash(keyHash: string): Op<KeyPrincipal | null> {
  const row = yield* get(apiKeys.principal, keyHash);
  return row ? toPrincipal(row) : null;
}

export function* touchApiKey(keyId: string, now: string): Op<void> {
  yield* write(apiKeys.touch, now, keyId);
}

export function* listApiKeys(orgId: string): Op<ApiKeyRecord[]> {
  return (yield* all(apiKeys.liveOfOrg, orgId)).map(toApiKey);
}

/** One of the org's keys (orgId set) or any key (orgId null, for the admin command). */
export function* revokeApiKey(orgId: string | null, keyId: string, now: string): Op<boolean> {
  const changed = orgId === null ? yield* run(apiKeys.revoke, now, keyId) : yield* run(apiKeys.revokeOfOrg, now, keyId, orgId);
  if (changed !== 1) return false;
  yield* notify({ kind: 'key', keyId });
  return true;
}
