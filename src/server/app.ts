// The platform's HTTP app: site hosting by Host header first, then the JSON API. Tests call
// createApp(deps).request() without a port; main.ts binds it to a socket.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorResponse, onError } from './http-errors.js';
import { requireKey } from './auth.js';
import { serveSite } from './hosting.js';
import { authRoutes } from './routes/auth.js';
import { deployRoutes } from './routes/deploy.js';
import { meRoutes } from './routes/me.js';
import { classifyHost } from './urls.js';

/** Room for a 25 MB deploy sent as base64 JSON. */
const DEPLOY_BODY_LIMIT = 40 * 1024 * 1024;
const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError(deps.log));

  // Host routing: a request for a site host never reaches the API routes.
  app.use('*', async (c, next) => {
    const target = classifyHost(deps.urls, c.req.header('host'));
    if (target.kind === 'site') {
      return serveSite(c, deps, { slug: target.slug, previewToken: target.previewToken, path: c.req.path, sandboxed: false });
    }
    if (target.kind === 'unknown') {
      return errorResponse(c, new AppError('not_found', `Unknown host. Sites live at {slug}.${deps.urls.sitesDomain}.`));
    }
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/s/:slug', (c) => c.redirect(`/s/${c.req.param('slug')}/`, 301));
  app.on(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'], '/s/:slug/*', (c) => {
    const slug = c.req.param('slug');
    const path = c.req.path.slice(`/s/${slug}`.length) || '/';
    return serveSite(c, deps, { slug, previewToken: null, path, sandboxed: true });
  });

  app.use('*', async (c, next) => {
    const limit = c.req.method === 'POST' || c.req.method === 'PUT' ? DEPLOY_BODY_LIMIT : DEFAULT_BODY_LIMIT;
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new AppError('too_large', 'The request body is too large. Send fewer or smaller files.');
      },
    })(c, next);
  });

  // Login routes carry no key (except /auth/logout, which checks its own): mounted before the keyed API.
  app.route('/', authRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use('*', requireKey(deps));
  api.route('/', meRoutes());
  api.route('/', deployRoutes(deps));
  app.route('/', api);

  app.notFound((c) => errorResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}. See GET /openapi.json for the API.`)));
  return app;
}
