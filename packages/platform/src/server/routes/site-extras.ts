// A site's counters and password, for the owner (SPEC section 14): list, reset and delete counters;
// set, read and remove the password. HTTP in and out; the rules are the services'. (What visitors
// see of both, on the site's hosts, is the hosting service's answer.)
import { Hono } from 'hono';
import { SitePasswordRequestSchema } from 'invoker-mcp/contract/extras.js';
import type { CountersService } from '../../services/counters.js';
import type { SitePasswordService } from '../../services/site-password.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

export function siteExtrasRoutes(deps: AppDeps, counters: CountersService, passwords: SitePasswordService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/deploy/:id/counters', async (c) => c.json(await counters.list(c.get('orgId'), c.req.param('id'))));
  app.post('/deploy/:id/counters/:name/reset', async (c) => c.json(await counters.reset(c.get('orgId'), c.req.param('id'), c.req.param('name'))));
  app.delete('/deploy/:id/counters/:name', async (c) => {
    await counters.remove(c.get('orgId'), c.req.param('id'), c.req.param('name'));
    return c.body(null, 204);
  });

  app.get('/deploy/:id/password', async (c) => c.json(await passwords.status(c.get('orgId'), c.req.param('id'))));
  app.put('/deploy/:id/password', async (c) => {
    const { password } = await readJson(c, SitePasswordRequestSchema, deps.limits.jsonDepth);
    return c.json(await passwords.set(c.get('orgId'), c.req.param('id'), password));
  });
  app.delete('/deploy/:id/password', async (c) => {
    await passwords.remove(c.get('orgId'), c.req.param('id'));
    return c.body(null, 204);
  });
  return app;
}
