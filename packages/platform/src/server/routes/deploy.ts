// Site routes: create a site or a version (POST /deploy, PUT /deploy/:id), list and read sites,
// versions, patch, publish/rollback, rename, delete. HTTP in and out; the rules are the sites service's.
import { Hono } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import {
  ClaimRequestSchema,
  DeployRequestSchema,
  ListDeploysQuerySchema,
  PatchRequestSchema,
  PublishRequestSchema,
  RenameRequestSchema,
  UpdateRequestSchema,
} from 'invoker-mcp/contract/sites.js';
import type { AnonymousService } from '../../services/anonymous.js';
import type { SitesService } from '../../services/sites.js';
import { clientIp } from '../client-ip.js';
import type { AppDeps, AppEnv } from '../context.js';
import { parseJsonText, parseQuery, readJson } from '../validate.js';

/** The version a publish body names: `{}` (or nothing) is the newest, `{"version": N}` is N. */
export function publishVersion(body: unknown): number | null {
  const parsed = PublishRequestSchema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_input', 'Body must be {} or {"version": N} with N a version number from GET /deploy/{id}/versions.');
  return parsed.data.version ?? null;
}

/** POST /deploy without a key: an anonymous site, where the server allows them; else on to the keyed route. */
export function anonymousDeployRoutes(deps: AppDeps, anonymous: AnonymousService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/deploy', async (c, next) => {
    if (c.req.header('authorization') !== undefined || !anonymous.enabled()) return next();
    const site = await anonymous.deploy(clientIp(c, deps.trustProxy), () => readJson(c, DeployRequestSchema, deps.limits.jsonDepth));
    return c.json(site, 201);
  });
  return app;
}

export function deployRoutes(deps: AppDeps, sites: SitesService, anonymous: AnonymousService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const depth = deps.limits.jsonDepth;

  app.post('/deploy', async (c) => {
    const site = await sites.deploy(c.get('orgId'), await readJson(c, DeployRequestSchema, depth));
    return c.json(site, site.version === 1 ? 201 : 200);
  });

  app.get('/deploys', async (c) => {
    const query = parseQuery(c, ListDeploysQuerySchema);
    return c.json(await sites.list(c.get('orgId'), { limit: query.limit ?? 20, cursor: query.cursor ?? null }));
  });

  app.get('/deploy/:id', async (c) => c.json(await sites.get(c.get('orgId'), c.req.param('id'))));

  app.put('/deploy/:id', async (c) => {
    const body = await readJson(c, UpdateRequestSchema, depth);
    return c.json(await sites.update(c.get('orgId'), c.req.param('id'), body));
  });

  app.post('/deploy/:id/publish', async (c) => {
    const text = await c.req.text();
    const version = text.trim() === '' ? null : publishVersion(parseJsonText(text, depth));
    return c.json(await sites.publish(c.get('orgId'), c.req.param('id'), version));
  });

  app.post('/deploy/:id/patch', async (c) => {
    const body = await readJson(c, PatchRequestSchema, depth);
    return c.json(await sites.patch(c.get('orgId'), c.req.param('id'), body));
  });

  app.post('/deploy/:id/claim', async (c) => {
    const { claim_token } = await readJson(c, ClaimRequestSchema, depth);
    return c.json(await anonymous.claim(c.get('orgId'), c.req.param('id'), claim_token));
  });

  app.get('/deploy/:id/versions', async (c) => c.json(await sites.versions(c.get('orgId'), c.req.param('id'))));

  app.patch('/deploy/:id/slug', async (c) => {
    const { slug } = await readJson(c, RenameRequestSchema, depth);
    return c.json(await sites.rename(c.get('orgId'), c.req.param('id'), slug));
  });

  app.delete('/deploy/:id', async (c) => {
    await sites.remove(c.get('orgId'), c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
