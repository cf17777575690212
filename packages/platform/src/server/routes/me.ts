// GET /me: who the key belongs to, which org it acts on, and which key it is.
import { Hono } from 'hono';
import type { Me } from 'invoker-mcp/contract/account.js';
import type { KeyPrincipal } from '../../store/store.js';
import type { AppEnv } from '../context.js';

/** Shared with the node:http lane (node-lane.ts), which answers the unscoped GET /me itself. */
export function meBody({ user, org, key }: KeyPrincipal): Me {
  return {
    user: { id: user.id, email: user.email },
    org: { id: org.id, name: org.name, parent_id: org.parentId, created_at: org.createdAt },
    key: { id: key.id, name: key.name, preview: key.preview },
  };
}

export function meRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/me', (c) => c.json(meBody(c.get('principal'))));
  return app;
}
