// GET /me: who the key belongs to, which org it acts on, and which key it is.
import { Hono } from 'hono';
import type { Me } from '../../contract/account.js';
import type { AppEnv } from '../context.js';

export function meRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/me', (c) => {
    const { user, org, key } = c.get('principal');
    const body: Me = {
      user: { id: user.id, email: user.email },
      org: { id: org.id, name: org.name, parent_id: org.parentId, created_at: org.createdAt },
      key: { id: key.id, name: key.name, preview: key.preview },
    };
    return c.json(body);
  });
  return app;
}
