// API keys of an org: list, create (the only response that ever holds a full key), revoke.
import { Hono } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import { CreateApiKeyRequestSchema, type ApiKey, type CreatedApiKey } from 'invoker-mcp/contract/account.js';
import type { ApiKeyRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { issueApiKey } from '../keys.js';
import { readJson } from '../validate.js';

export function apiKeyJson(key: ApiKeyRecord): ApiKey {
  return { id: key.id, name: key.name, preview: key.preview, created_at: key.createdAt, last_used_at: key.lastUsedAt };
}

export function apiKeyRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api-keys', async (c) => {
    const keys = await deps.store.listApiKeys(c.get('orgId'));
    return c.json({ keys: keys.map(apiKeyJson) });
  });

  app.post('/api-keys', async (c) => {
    const { name } = await readJson(c, CreateApiKeyRequestSchema, deps.limits.jsonDepth);
    const issued = await issueApiKey(deps.store, {
      orgId: c.get('orgId'),
      userId: c.get('principal').user.id,
      name,
      now: deps.now().toISOString(),
    });
    const body: CreatedApiKey = {
      id: issued.record.id,
      name: issued.record.name,
      key: issued.key,
      preview: issued.record.preview,
      created_at: issued.record.createdAt,
    };
    // The key exists in plaintext in this response only: keep it out of every cache.
    c.header('Cache-Control', 'no-store');
    return c.json(body, 201);
  });

  app.delete('/api-keys/:keyId', async (c) => {
    const revoked = await deps.store.revokeApiKey(c.get('orgId'), c.req.param('keyId'), deps.now().toISOString());
    if (!revoked) throw new AppError('not_found', 'API key not found in this organization. List keys with GET /orgs/c/api-keys.');
    return c.body(null, 204);
  });

  return app;
}
