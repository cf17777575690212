// API keys of an org: list, create (the only response that ever holds a full key), revoke.
import { Hono } from 'hono';
import { CreateApiKeyRequestSchema } from 'invoker-mcp/contract/account.js';
import type { KeysService } from '../../services/keys.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

export function apiKeyRoutes(deps: AppDeps, keys: KeysService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/api-keys', async (c) => c.json(await keys.list(c.get('orgId'))));

  app.post('/api-keys', async (c) => {
    const { name } = await readJson(c, CreateApiKeyRequestSchema, deps.limits.jsonDepth);
    const created = await keys.issue(c.get('orgId'), c.get('principal').user.id, name);
    // The key exists in plaintext in this response only: keep it out of every cache.
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  });

  app.delete('/api-keys/:keyId', async (c) => {
    await keys.revoke(c.get('orgId'), c.req.param('keyId'));
    return c.body(null, 204);
  });

  return app;
}
