// Organizations: the scoped org itself, its sub-organizations (one level), creating and deleting them.
import { Hono } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import { CreateOrgRequestSchema, type Org } from 'invoker-mcp/contract/account.js';
import type { OrgRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

export function orgJson(org: OrgRecord): Org {
  return { id: org.id, name: org.name, parent_id: org.parentId, created_at: org.createdAt };
}

/** GET/POST /orgs: the scoped org's sub-organizations. */
export function subOrgRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/orgs', async (c) => {
    const orgs = await deps.store.listSubOrgs(c.get('orgId'));
    return c.json({ orgs: orgs.map(orgJson) });
  });

  app.post('/orgs', async (c) => {
    const { name } = await readJson(c, CreateOrgRequestSchema, deps.limits.jsonDepth);
    const parent = c.get('org');
    if (parent.parentId !== null) {
      throw new AppError(
        'invalid_input',
        'Sub-organizations cannot have sub-organizations of their own. Create it under the parent organization instead.',
      );
    }
    const org = await deps.store.createSubOrg({
      parentId: parent.id,
      name,
      ownerUserId: c.get('principal').user.id,
      now: deps.now().toISOString(),
    });
    return c.json(orgJson(org), 201);
  });

  return app;
}

/**
 * Routes about the scoped org itself, only under /orgs/:org (unscoped, `/orgs/{id}` would read as
 * an org id): GET the org, DELETE one of its sub-organizations.
 */
export function orgRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.json(orgJson(c.get('org'))));
  app.delete('/orgs/:subOrgId', async (c) => {
    const deleted = await deps.store.deleteSubOrg(c.get('orgId'), c.req.param('subOrgId'));
    if (!deleted) throw new AppError('not_found', 'Sub-organization not found. List them with GET /orgs/c/orgs.');
    return c.body(null, 204);
  });
  return app;
}
