// The platform's HTTP app: site hosting by Host header first, then the JSON API. Tests call
// createApp(deps).request() without a port; main.ts binds it to a socket.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorResponse, onError } from './http-errors.js';
import { requireKey } from './auth.js';
import { apiBudgetMiddleware } from './api-budget.js';
import { answerToResponse, resolveSite } from './hosting.js';
import { scopeToOrg } from './org-scope.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { deployRoutes } from './routes/deploy.js';
import { meRoutes } from './routes/me.js';
import { orgRoutes, subOrgRoutes } from './routes/orgs.js';
import { submissionRoutes } from './routes/submissions.js';
import { acceptSubmission, SUBMISSION_MAX_BYTES, submitRoutes } from './routes/submit.js';
import { classifyHost } from './urls.js';
import { buildOpenApi } from './openapi.js';
import { packageVersion } from '../version.js';

/** Room for a 25 MB deploy sent as base64 JSON. */
const DEPLOY_BODY_LIMIT = 40 * 1024 * 1024;
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** POST /_submit on a site's own host: the same capture as /submit/{id}, for relative form actions. */
async function submitOnSiteHost(c: Context<AppEnv>, deps: AppDeps, slug: string): Promise<Response> {
  const site = await deps.store.findSiteBySlug(slug);
  if (!site) return errorResponse(c, new AppError('not_found', 'There is no site at this address.'));
  const limited = bodyLimit({
    maxSize: SUBMISSION_MAX_BYTES,
    onError: () => {
      throw new AppError('too_large', 'The submission is over 64 KB. Shorten the fields or leave out files.');
    },
  });
  let response: Response | undefined;
  await limited(c, async () => {
    response = await acceptSubmission(c, deps, site);
  });
  return response ?? c.res;
}

/** The resource routes, each served unscoped (acting on `c`) and under /orgs/{org_id}. */
function resourceRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', meRoutes());
  app.route('/', deployRoutes(deps));
  app.route('/', submissionRoutes(deps));
  app.route('/', apiKeyRoutes(deps));
  app.route('/', subOrgRoutes(deps));
  return app;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError(deps.log));

  // Host routing: a request for a site host never reaches the API routes.
  app.use('*', async (c, next) => {
    const target = classifyHost(deps.urls, c.req.header('host'));
    if (target.kind === 'site') {
      if (c.req.path === '/_submit' && c.req.method === 'POST') return submitOnSiteHost(c, deps, target.slug);
      return answerToResponse(
        await resolveSite(deps.store, {
          slug: target.slug,
          previewToken: target.previewToken,
          path: c.req.path,
          method: c.req.method,
          ifNoneMatch: c.req.header('if-none-match'),
          sandboxed: false,
        }),
      );
    }
    if (target.kind === 'unknown') {
      return errorResponse(c, new AppError('not_found', `Unknown host. Sites live at {slug}.${deps.urls.sitesDomain}.`));
    }
    await next();
  });

  // Before the rate limit: load balancers poll it.
  app.get('/healthz', (c) => c.json({ ok: true }));

  app.use('*', apiBudgetMiddleware(deps));

  let openApi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApi(packageVersion(), deps.urls.publicUrl))));

  // The param is decoded: re-encode it, or a %00 in the path becomes an invalid Location header (a 500).
  app.get('/s/:slug', (c) => c.redirect(`/s/${encodeURIComponent(c.req.param('slug'))}/`, 301));
  app.on(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'], '/s/:slug/*', async (c) => {
    const slug = c.req.param('slug');
    const path = c.req.path.slice(`/s/${slug}`.length) || '/';
    return answerToResponse(
      await resolveSite(deps.store, { slug, previewToken: null, path, method: c.req.method, ifNoneMatch: c.req.header('if-none-match'), sandboxed: true }),
    );
  });

  // Public, keyless: form capture and its thank-you page (with their own 64 KB body limit).
  app.route('/', submitRoutes(deps));

  const tooLarge = () => {
    throw new AppError('too_large', 'The request body is too large. Send fewer or smaller files.');
  };
  const uploadLimit = bodyLimit({ maxSize: DEPLOY_BODY_LIMIT, onError: tooLarge });
  const defaultLimit = bodyLimit({ maxSize: DEFAULT_BODY_LIMIT, onError: tooLarge });
  app.use('*', async (c, next) => {
    // Reading c.req.raw.body (as hono's bodyLimit does first) makes @hono/node-server build a full
    // web Request and stream the body through it: half the CPU time of a GET /me, and a fifth of a
    // 20 KB deploy's. So: GET and HEAD carry no body; a declared Content-Length is the whole body
    // (node's parser reads no more), so the number is checked and the route reads the body straight
    // from the socket; only a body without one (chunked) is counted by bodyLimit as it streams.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const upload = (method === 'POST' || method === 'PUT') && !c.req.path.startsWith('/dashboard');
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > (upload ? DEPLOY_BODY_LIMIT : DEFAULT_BODY_LIMIT)) tooLarge();
      return next();
    }
    return (upload ? uploadLimit : defaultLimit)(c, next);
  });

  // Login routes carry no key (except /auth/logout, which checks its own): mounted before the keyed API.
  app.route('/', authRoutes(deps));
  // The dashboard authenticates with its own cookie session, never with API keys.
  app.route('/dashboard', dashboardRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use('*', requireKey(deps));
  api.use('/orgs/:org', scopeToOrg(deps.store));
  api.use('/orgs/:org/*', scopeToOrg(deps.store));
  api.route('/orgs/:org', orgRoutes(deps));
  const resources = resourceRoutes(deps);
  api.route('/orgs/:org', resources);
  api.route('/', resources);
  app.route('/', api);

  app.notFound((c) => errorResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}. See GET /openapi.json for the API.`)));
  return app;
}
