// Org scoping (SPEC section 4): `/orgs/{org_id}/…` acts on that org when the key can reach it.
// `c` is the key's own org; a key reaches its own org and, when that org is a parent, each direct
// sub-org by its real id. Anything else answers 404 exactly like an org that does not exist, so a
// key cannot learn which org ids are real.
import type { MiddlewareHandler } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import type { KeyPrincipal, OrgRecord, Store } from '../store/store.js';
import type { AppEnv } from './context.js';

export const ORG_NOT_FOUND = 'Organization not found. Use "c" for your key\'s own organization, or an id from list_orgs (GET /orgs/c/orgs).';

/** The org a principal may act on for the path segment, or null when it is out of reach. */
export async function resolveOrg(store: Store, principal: KeyPrincipal, segment: string): Promise<OrgRecord | null> {
  if (segment === 'c' || segment === principal.org.id) return principal.org;
  // Only real ids in canonical form; `C`, ` c`, encodings and the like never alias anything.
  if (!/^org_[0-9A-Za-z]{16}$/.test(segment)) return null;
  const org = await store.getOrg(segment);
  // One level: a parent key reaches its direct children; a child never reaches up or sideways.
  if (!org || org.parentId !== principal.org.id) return null;
  return org;
}

export function scopeToOrg(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const segment = c.req.param('org');
    if (segment !== undefined) {
      const org = await resolveOrg(store, c.get('principal'), segment);
      if (!org) throw new AppError('not_found', ORG_NOT_FOUND);
      c.set('org', org);
      c.set('orgId', org.id);
    }
    await next();
  };
}
