// API keys (SPEC section 4): issuing one (the one place a plaintext key exists on the server, handed
// back once; the store receives only its SHA-256 hash and preview), listing and revoking an org's
// keys, and turning a presented key into the principal it acts as.
import { AppError } from 'invoker-mcp/errors.js';
import { generateApiKey, hashApiKey, isWellFormedApiKey, previewApiKey } from 'invoker-mcp/contract/api-key.js';
import type { ApiKey, CreatedApiKey, Me } from 'invoker-mcp/contract/account.js';
import type { ApiKeyRecord, KeyPrincipal, Store } from '../store/store.js';
import { cryptoRandomness, randomnessOf, type Randomness, type ServiceDeps } from './deps.js';
import { failure } from './next-steps.js';

/** Who a request acts as once its key is verified: the key, its user and its org. */
export type { KeyPrincipal };

export type KeysDeps = Pick<ServiceDeps, 'store' | 'now' | 'random'>;

/** last_used_at is a hint for people, not an audit log: write it at most once a minute per key. */
const TOUCH_INTERVAL_MS = 60_000;

/** A new key for the org: the plaintext once, and the record the store keeps. */
export async function issueApiKey(
  store: Store,
  input: { orgId: string; userId: string; name: string; now: string },
  random: Pick<Randomness, 'id'> = cryptoRandomness,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateApiKey();
  const record = await store.createApiKey({
    id: random.id('key'),
    orgId: input.orgId,
    userId: input.userId,
    name: input.name,
    keyHash: hashApiKey(key),
    preview: previewApiKey(key),
    now: input.now,
  });
  return { key, record };
}

export function apiKeyJson(key: ApiKeyRecord): ApiKey {
  return { id: key.id, name: key.name, preview: key.preview, created_at: key.createdAt, last_used_at: key.lastUsedAt };
}

/** GET /me: who the key belongs to, which org it acts on, and which key it is. */
export function meOf({ user, org, key }: KeyPrincipal): Me {
  return {
    user: { id: user.id, email: user.email },
    org: { id: org.id, name: org.name, parent_id: org.parentId, created_at: org.createdAt },
    key: { id: key.id, name: key.name, preview: key.preview },
  };
}

const keyNotFound = () => failure('not_found', 'API key not found in this organization.', 'find_key');

export type KeysService = ReturnType<typeof keysService>;

export function keysService(deps: KeysDeps) {
  return {
    /**
     * The principal a presented key acts as. A malformed or bad-checksum key is refused before any
     * store lookup; a well-formed one is looked up by its SHA-256 hash, never compared in plaintext.
     */
    async authenticate(key: string): Promise<KeyPrincipal> {
      if (!isWellFormedApiKey(key)) {
        throw new AppError('unauthenticated', 'Invalid API key: it is not an Invoker key (inv_…). Check for a copy-paste error, or create a new key.');
      }
      const principal = await deps.store.findPrincipalByKeyHash(hashApiKey(key));
      if (!principal) {
        throw new AppError('unauthenticated', 'Invalid or revoked API key. Log in again (`invoker-mcp login`) or create a new key.');
      }
      const now = deps.now();
      const last = principal.key.lastUsedAt ? Date.parse(principal.key.lastUsedAt) : 0;
      if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
        await deps.store.touchApiKey(principal.key.id, now.toISOString());
      }
      return principal;
    },

    /** The org's live keys, oldest first. */
    async list(orgId: string): Promise<{ keys: ApiKey[] }> {
      return { keys: (await deps.store.listApiKeys(orgId)).map(apiKeyJson) };
    },

    async get(orgId: string, keyId: string): Promise<ApiKey> {
      const key = (await deps.store.listApiKeys(orgId)).find((k) => k.id === keyId);
      if (!key) throw keyNotFound();
      return apiKeyJson(key);
    },

    /** A new key for the org, made by the user: the only answer that ever holds a full key. */
    async issue(orgId: string, userId: string, name: string): Promise<CreatedApiKey> {
      const { key, record } = await issueApiKey(deps.store, { orgId, userId, name, now: deps.now().toISOString() }, randomnessOf(deps));
      return { id: record.id, name: record.name, key, preview: record.preview, created_at: record.createdAt };
    },

    /** Takes effect on the very next request. */
    async revoke(orgId: string, keyId: string): Promise<void> {
      if (!(await deps.store.revokeApiKey(orgId, keyId, deps.now().toISOString()))) throw keyNotFound();
    },

    /** Logging out: the principal's own key stops working. */
    async revokeOwn(principal: KeyPrincipal): Promise<void> {
      await deps.store.revokeApiKeyById(principal.key.id, deps.now().toISOString());
    },
  };
}
