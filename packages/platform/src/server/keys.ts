// Issuing API keys: the one place a plaintext key exists on the server, handed back to the caller
// once. The store receives only its SHA-256 hash and preview.
import { generateApiKey, hashApiKey, previewApiKey } from 'invoker-mcp/contract/api-key.js';
import { newId } from 'invoker-mcp/contract/ids.js';
import type { ApiKeyRecord, Store } from '../store/store.js';

export async function issueApiKey(
  store: Store,
  input: { orgId: string; userId: string; name: string; now: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = generateApiKey();
  const record = await store.createApiKey({
    id: newId('key'),
    orgId: input.orgId,
    userId: input.userId,
    name: input.name,
    keyHash: hashApiKey(key),
    preview: previewApiKey(key),
    now: input.now,
  });
  return { key, record };
}
