// Organizations: the scoped org itself, its sub-organizations (one level), creating and deleting them.
import { Hono } from 'hono';
import { CreateOrgRequestSchema } from 'invoker-mcp/contract/account.js';
import { orgJson, type OrgsService } from '../../services/orgs.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

/** GET/POST /orgs: the scoped org's sub-organizations. */
export function subOrgRoutes(deps: AppDeps, orgs: OrgsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/orgs', async (c) => c.json(await orgs.listSubOrgs(c.get('orgId'))));
  app.post('/orgs', async (c) => {
    const { name } = await readJson(c, CreateOrgRequestSchema, deps.limits.jsonDepth);
    return c.json(await orgs.createSubOrg(c.get('orgId'), name, c.get('principal').user.id), 201);
  });
  return app;
}

/**
 * Routes about the scoped org itself, only under /orgs/:org (unscoped, `/orgs/{id}` would read as
 * an org id): GET the org, DELETE one of its sub-organizations.
 */
export function orgRoutes(orgs: OrgsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.json(orgJson(c.get('org'))));
  app.delete('/orgs/:subOrgId', async (c) => {
    await orgs.deleteSubOrg(c.get('orgId'), c.req.param('subOrgId'));
    return c.body(null, 204);
  });
  return app;
}
