// Custom-domain routes (SPEC section 15): add (pending; adding again checks again), list, remove, and
// the question Caddy's on-demand TLS asks before it gets a certificate. HTTP in and out; the rules
// are the domains service's.
import { Hono } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import { AddDomainRequestSchema, CaddyAskQuerySchema } from 'invoker-mcp/contract/domains.js';
import type { DomainsService } from '../../services/domains.js';
import type { AppDeps, AppEnv } from '../context.js';
import { parseQuery, readJson } from '../validate.js';

export function domainRoutes(deps: AppDeps, domains: DomainsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/deploy/:id/domains', async (c) => {
    const body = await readJson(c, AddDomainRequestSchema, deps.limits.jsonDepth);
    const { created, domain } = await domains.add(c.get('orgId'), c.req.param('id'), body.domain);
    return c.json(domain, created ? 201 : 200);
  });
  app.get('/deploy/:id/domains', async (c) => c.json(await domains.list(c.get('orgId'), c.req.param('id'))));
  app.delete('/deploy/:id/domains/:domain', async (c) => {
    await domains.remove(c.get('orgId'), c.req.param('id'), c.req.param('domain'));
    return c.body(null, 204);
  });
  return app;
}

/** GET /_caddy/ask?domain=…: 200 when a certificate may be got for the name, else 404 (Caddy reads any non-2xx as no). */
export function caddyAskRoutes(domains: DomainsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/_caddy/ask', async (c) => {
    const { domain } = parseQuery(c, CaddyAskQuerySchema);
    if (!domain || !(await domains.allowsCertificate(domain))) {
      throw new AppError('not_found', 'No certificate for that name: it is no verified custom domain, and no site or preview host of this platform.');
    }
    return c.json({ domain: domain.trim().toLowerCase(), allowed: true as const });
  });
  return app;
}
