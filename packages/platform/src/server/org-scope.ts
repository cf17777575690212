// Org scoping (SPEC section 4): `/orgs/{org_id}/…` acts on the org the orgs service says the key
// reaches (`c`, its own org, or a direct sub-org); anything else is the same 404 as an org that
// does not exist.
import type { MiddlewareHandler } from 'hono';
import type { OrgsService } from '../services/orgs.js';
import type { AppEnv } from './context.js';

export function scopeToOrg(orgs: OrgsService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const segment = c.req.param('org');
    if (segment !== undefined) {
      const org = await orgs.reach(c.get('principal'), segment);
      c.set('org', org);
      c.set('orgId', org.id);
    }
    await next();
  };
}
