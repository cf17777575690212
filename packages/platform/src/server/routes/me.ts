// GET /me: who the key belongs to, which org it acts on, and which key it is.
import { Hono } from 'hono';
import { meOf } from '../../services/keys.js';
import type { AppEnv } from '../context.js';

export function meRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/me', (c) => c.json(meOf(c.get('principal'))));
  return app;
}
