// The platform's HTTP app: site hosting by Host header first, then the JSON API. Tests call
// createApp(deps).request() without a port; main.ts binds it to a socket.
import { Hono, type Context } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import type { AppDeps, AppEnv } from './context.js';
import { errorResponse, onError } from './http-errors.js';
import { requireKey } from './auth.js';
import { apiBudgetMiddleware } from './api-budget.js';
import { bodyLimits } from './body-limits.js';
import { CHALLENGE_PATH } from '../services/domains.js';
import { unknownHost, type SiteAnswer, type SiteRequest } from '../services/hosting.js';
import { clientIp } from './client-ip.js';
import { crossOriginClients } from './cors.js';
import { COUNTER_PASS_PARAM } from 'invoker-mcp/contract/extras.js';
import { CROSS_ORIGIN_PATHS } from 'invoker-mcp/contract/oauth.js';
import type { Services } from '../services/index.js';
import { classifyHost, customDomainOf } from '../services/urls.js';
import { scopeToOrg } from './org-scope.js';
import { pathOfTarget } from './request-target.js';
import { servicesOf } from './services-of.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { landingRoutes } from './dashboard/pages-landing.js';
import { anonymousDeployRoutes, deployRoutes } from './routes/deploy.js';
import { mcpRoutes } from './routes/mcp.js';
import { meRoutes } from './routes/me.js';
import { oauthRoutes } from './routes/oauth.js';
import { oauthConsentRoutes } from './routes/oauth-consent.js';
import { orgRoutes, subOrgRoutes } from './routes/orgs.js';
import { exportLinkRoutes, submissionRoutes } from './routes/submissions.js';
import { formRoutes, notifyConfirmRoutes } from './routes/forms.js';
import { webhookRoutes } from './routes/webhooks.js';
import { caddyAskRoutes, domainRoutes } from './routes/domains.js';
import { siteExtrasRoutes } from './routes/site-extras.js';
import { acceptSubmission, isSubmissionRoute, submissionFailure, submitRoutes } from './routes/submit.js';
import { buildOpenApi } from './openapi.js';
import { packageVersion } from 'invoker-mcp/version.js';

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The path of the request's URL as the adapter built it: the target as sent when it was plain, else
 * normalised by the WHATWG URL parser. The node:http lane takes only targets both agree on, so a
 * site's answer never depends on which of the two served it.
 */
function urlPath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return start === -1 ? '/' : pathOfTarget(url.slice(start));
}

type SiteTarget = Pick<SiteRequest, 'slug' | 'previewToken' | 'path' | 'sandboxed'>;

/** The request as hosting reads it: the target, the conditional and cookie headers, the client, the form a POST carries. */
function siteRequest(c: Context<AppEnv>, deps: AppDeps, target: SiteTarget): SiteRequest {
  return {
    ...target,
    method: c.req.method,
    ifNoneMatch: c.req.header('if-none-match'),
    acceptEncoding: c.req.header('accept-encoding'),
    cookie: c.req.header('cookie'),
    ip: clientIp(c, deps.trustProxy),
    readForm: () => c.req.parseBody(),
  };
}

function siteAnswerResponse(answer: SiteAnswer): Response {
  return new Response(answer.body as Uint8Array<ArrayBuffer> | null, { status: answer.status, headers: answer.headers });
}

/**
 * A request on a custom domain: the verification token of a pending domain, or the live site of a
 * verified one through the same hosting answer as its slug host; null when the domain serves nothing.
 */
async function customDomainResponse(c: Context<AppEnv>, deps: AppDeps, services: Services, domain: string): Promise<Response | null> {
  const path = urlPath(c.req.url);
  if (path.startsWith(CHALLENGE_PATH) && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    const token = await services.domains.challenge(domain, path.slice(CHALLENGE_PATH.length));
    if (token === null) return null;
    return new Response(c.req.method === 'HEAD' ? null : token, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
  // The request as a slug host's (cookies for a password, the client's address for counters); hosting names the site.
  const answer = await services.hosting.answerDomain({ ...siteRequest(c, deps, { slug: '', previewToken: null, path, sandboxed: false }), domain });
  return answer && siteAnswerResponse(answer);
}

async function siteResponse(c: Context<AppEnv>, deps: AppDeps, services: Services, target: SiteTarget): Promise<Response> {
  return siteAnswerResponse(await services.hosting.answer(siteRequest(c, deps, target)));
}

/** The resource routes, each served unscoped (acting on `c`) and under /orgs/{org_id}. */
function resourceRoutes(deps: AppDeps, services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', meRoutes());
  app.route('/', deployRoutes(deps, services.sites, services.anonymous));
  app.route('/', submissionRoutes(services.submissions));
  app.route('/', apiKeyRoutes(deps, services.keys));
  app.route('/', subOrgRoutes(deps, services.orgs));
  app.route('/', webhookRoutes(deps, services.webhooks));
  app.route('/', formRoutes(deps, services.formSettings, services.submissions));
  app.route('/', domainRoutes(deps, services.domains));
  app.route('/', siteExtrasRoutes(deps, services.counters, services.sitePasswords));
  return app;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const services = servicesOf(deps);
  const app = new Hono<AppEnv>();
  // A site's own host or a custom domain (a name none of the platform's): where POST /_submit captures
  // a form, with a submission's body limit and failure pages. A domain nobody verified answers 404.
  const isSiteHost = (host: string | undefined) => {
    const kind = classifyHost(deps.urls, host).kind;
    return kind === 'site' || (kind === 'unknown' && customDomainOf(host) !== null);
  };
  const jsonErrors = onError(deps.log);
  // A failed form submission may come from a person's browser: submissionFailure answers it a page.
  app.onError((err, c) =>
    isSubmissionRoute(c.req.method, c.req.path, isSiteHost(c.req.header('host'))) ? submissionFailure(c, deps.log, err) : jsonErrors(err, c),
  );

  // Browser-based MCP clients reach the OAuth endpoints and /mcp from their own origin (cors.ts):
  // first, so a preflight is answered and every answer after it, refusals included, is readable.
  const crossOrigin = crossOriginClients(deps.urls);
  for (const path of CROSS_ORIGIN_PATHS) app.use(path, crossOrigin);

  // Then: a body over its route's limit is refused before anything reads it.
  app.use('*', bodyLimits(deps.limits, isSiteHost, services.anonymous.enabled));

  // Host routing: a request for a site host never reaches the API routes.
  app.use('*', async (c, next) => {
    const target = classifyHost(deps.urls, c.req.header('host'));
    if (target.kind === 'site') {
      // POST /_submit on a site's own host: the same capture as /submit/{id}, for relative form actions.
      const site: SiteTarget = { slug: target.slug, previewToken: target.previewToken, path: urlPath(c.req.url), sandboxed: false };
      if (c.req.path === '/_submit' && c.req.method === 'POST') {
        // A protected site takes no submission from a browser that has not given its password.
        const closed = await services.hosting.gate(siteRequest(c, deps, site));
        if (closed) return siteAnswerResponse(closed);
        return acceptSubmission(c, deps, services.submissions, { slug: target.slug });
      }
      return siteResponse(c, deps, services, site);
    }
    if (target.kind === 'unknown') {
      const domain = customDomainOf(c.req.header('host'));
      if (domain && c.req.path === '/_submit' && c.req.method === 'POST') {
        // The same capture as on the site's slug host, for the same relative form action.
        const gated = await services.hosting.gateDomain({ ...siteRequest(c, deps, { slug: '', previewToken: null, path: '/_submit', sandboxed: false }), domain });
        if (gated?.closed) return siteAnswerResponse(gated.closed);
        if (gated) return acceptSubmission(c, deps, services.submissions, { slug: gated.slug, domain });
      }
      const answer = domain ? await customDomainResponse(c, deps, services, domain) : null;
      return answer ?? errorResponse(c, unknownHost(deps.urls.sitesDomain));
    }
    await next();
  });

  // Ids, slugs and names hold no control characters, so a path with one names nothing; PostgreSQL
  // would refuse such text outright. Answered here, it is the same 404 on both backends. (/s/ paths
  // belong to the site, whose answer says what a path inside it means.)
  app.use('*', async (c, next) => {
    if (CONTROL_CHARACTER.test(c.req.path) && !c.req.path.startsWith('/s/')) {
      return errorResponse(c, new AppError('not_found', 'Nothing here: paths on this server hold no control characters. Check the address.'));
    }
    await next();
  });

  // Before the rate limit: load balancers poll it.
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Static and keyless, asked for by every browser and crawler: before the rate limit too.
  app.route('/', landingRoutes(deps));

  app.use('*', apiBudgetMiddleware(deps));

  // Caddy's on-demand TLS asks here before it gets a certificate (docs/SELF-HOSTING.md).
  app.route('/', caddyAskRoutes(services.domains));

  let openApi: object | undefined;
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApi(packageVersion(), deps.urls.publicUrl))));

  // The fallback for setups without wildcard DNS: /s/{slug}/{path inside the site}, from the path as
  // sent (the router's decoded params would differ from the site host's reading of it).
  app.all('/s/*', async (c, next) => {
    const m = /^\/s\/([^/]+)(\/.*)?$/.exec(urlPath(c.req.url));
    if (!m) return next();
    const slug = safeDecode(m[1] as string);
    // Re-encoded: a decoded %00 in a Location header would be an invalid header.
    if (m[2] === undefined) return c.redirect(`/s/${encodeURIComponent(slug)}/`, 301);
    return siteAnswerResponse(await services.hosting.answer({ ...siteRequest(c, deps, { slug, previewToken: null, path: m[2], sandboxed: true }), counterPass: c.req.query(COUNTER_PASS_PARAM) ?? null }));
  });

  // Public, keyless: form capture and its thank-you page.
  app.route('/', submitRoutes(deps, services.submissions));
  // Keyless: the signature is the permission (a large export handed to a remote client).
  app.route('/', exportLinkRoutes(services.submissions));
  app.route('/', notifyConfirmRoutes(services.formSettings));

  // Login routes carry no key (except /auth/logout, which checks its own): mounted before the keyed API.
  app.route('/', authRoutes(deps, services.signIn, services.keys));
  // OAuth (SPEC section 11): the authorization server's endpoints and consent page, and /mcp, which checks its own bearer.
  app.route('/', oauthRoutes(deps));
  app.route('/', oauthConsentRoutes(deps));
  app.route('/', mcpRoutes(deps));
  // The dashboard authenticates with its own cookie session, never with API keys.
  app.route('/dashboard', dashboardRoutes(deps));
  // POST /deploy with no Authorization header, where the operator allows it (SPEC section 14); with
  // one, even an invalid one, the keyed route below answers.
  app.route('/', anonymousDeployRoutes(deps, services.anonymous));

  const api = new Hono<AppEnv>();
  api.use('*', requireKey(services.keys));
  api.use('/orgs/:org', scopeToOrg(services.orgs));
  api.use('/orgs/:org/*', scopeToOrg(services.orgs));
  api.route('/orgs/:org', orgRoutes(services.orgs));
  const resources = resourceRoutes(deps, services);
  api.route('/orgs/:org', resources);
  api.route('/', resources);
  app.route('/', api);

  app.notFound((c) => errorResponse(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}. See GET /openapi.json for the API.`)));
  return app;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
