// The dashboard at {public url}/dashboard: server-rendered pages for sites, submissions, API keys
// and organizations, with plain HTML forms (everything works without JavaScript). Each handler reads
// its form, calls the same service as the API route (acting on the selected org, which is `c`
// here) and renders the answer; errors show with the dashboard's words (next-steps.ts).
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { AppError } from 'invoker-mcp/errors.js';
import { CreateOrgRequestSchema, KeyNameSchema } from 'invoker-mcp/contract/account.js';
import type { AppDeps } from '../context.js';
import { answerFor } from '../http-errors.js';
import { submissionsCsv } from '../routes/submissions.js';
import { servicesOf } from '../services-of.js';
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js';
import { page, type PageFrame } from './layout.js';
import { dashboardMessage } from './next-steps.js';
import { confirmRevokePage, keysPage, newKeyPage, orgsPage } from './pages-account.js';
import { mountConnectedApps } from './pages-connected-apps.js';
import { confirmDeleteSite, siteDetail, sitesList, submissionsPage } from './pages-sites.js';
import { endSession, readForm, requireSession, sameOriginPosts, securityHeaders, type DashboardEnv } from './session.js';
import { signInRoutes } from './sign-in.js';
import { claimRoutes } from './pages-claim.js';
import { DASHBOARD_FORMS } from './forms.js';
import { formsPages } from './pages-forms.js';
import { domainsPages } from './pages-domains.js';
import { extrasPages } from './pages-extras.js';

const SUBMISSIONS_PER_PAGE = 25;

export function dashboardRoutes(deps: AppDeps): Hono {
  const { sites, submissions, keys, orgs, dashboardSessions } = servicesOf(deps);
  const app = new Hono();
  app.use('*', securityHeaders());
  app.onError((err, c) => {
    // The same status and headers as the API's answer (a logged request id for failures), as a page.
    const answer = answerFor(deps.log, `dashboard ${c.req.method} ${c.req.path}`, err);
    for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
    const text = answer.body.request_id ? answer.body.error : dashboardMessage(err);
    const title = answer.status === 404 ? 'Not found' : answer.status === 403 ? 'Not allowed' : 'Something went wrong';
    return c.html(page({ title }, html`<h1>${title}</h1><p class="notice error" role="alert">${text}</p><p><a href="/dashboard">Back to the dashboard</a></p>`), answer.status);
  });

  app.get('/assets/app.css', (c) => c.body(DASHBOARD_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.get('/assets/app.js', (c) => c.body(DASHBOARD_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.route('/', signInRoutes(deps));
  // Anyone with an anonymous site's claim link, signed in or not (pages-claim.ts).
  app.route('/', claimRoutes(deps));

  const signedIn = new Hono<DashboardEnv>();
  signedIn.use('*', sameOriginPosts(deps));
  signedIn.use('*', requireSession(deps, dashboardSessions));

  const frame = (c: Context<DashboardEnv>, title: string, section: PageFrame['section'], notice?: PageFrame['notice']): PageFrame => {
    const { session, org, orgs: reachable } = c.get('dash');
    return { title, section, notice, session: { email: session.email, csrf: session.csrfToken, org, orgs: reachable } };
  };
  const orgId = (c: Context<DashboardEnv>) => c.get('dash').org.id;
  const userId = (c: Context<DashboardEnv>) => c.get('dash').session.userId;
  const csrf = (c: Context<DashboardEnv>) => c.get('dash').session.csrfToken;
  const siteId = (c: Context<DashboardEnv>) => c.req.param('id') ?? '';
  const notice = (c: Context<DashboardEnv>): PageFrame['notice'] => {
    const done = c.req.query('done');
    return done ? { kind: 'ok', text: done } : undefined;
  };
  const back = (c: Context<DashboardEnv>, path: string, message: string) => c.redirect(`${path}?done=${encodeURIComponent(message)}`, 303);

  mountConnectedApps(signedIn, deps, { frame, notice, back });

  signedIn.get('/', async (c) => {
    const listed = await sites.list(orgId(c), { limit: 50, cursor: c.req.query('cursor') ?? null });
    return c.html(page(frame(c, 'Sites', 'sites', notice(c)), sitesList(listed.deploys, c.get('dash').org.name, listed.next_cursor)));
  });

  signedIn.get('/sites/:id', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const [{ versions }, perDay] = await Promise.all([sites.versions(orgId(c), site.id), submissions.perDay(orgId(c), site.id)]);
    return c.html(page(frame(c, site.slug, 'sites', notice(c)), siteDetail(site, versions, perDay, deps.urls, csrf(c))));
  });

  signedIn.post('/sites/:id/publish', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.publish);
    const version = Number(form.version);
    const site = await sites.publish(orgId(c), siteId(c), Number.isInteger(version) ? version : null);
    return back(c, `/dashboard/sites/${site.id}`, `Version ${site.live_version} is live.`);
  });

  signedIn.post('/sites/:id/slug', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.rename);
    const site = await sites.rename(orgId(c), siteId(c), (form.slug ?? '').trim());
    return back(c, `/dashboard/sites/${site.id}`, `Renamed to ${site.slug}.`);
  });

  signedIn.get('/sites/:id/delete', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    return c.html(page(frame(c, `Delete ${site.slug}`, 'sites'), confirmDeleteSite(site, csrf(c))));
  });

  signedIn.post('/sites/:id/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteSite);
    const site = await sites.get(orgId(c), siteId(c));
    await sites.remove(orgId(c), site.id);
    return back(c, '/dashboard', `Deleted ${site.slug}.`);
  });

  signedIn.get('/sites/:id/submissions', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const pageNo = Math.max(1, Math.min(1_000_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const result = await submissions.list(orgId(c), site.id, { page: pageNo, limit: SUBMISSIONS_PER_PAGE });
    const view = submissionsPage(site, result.submissions, result.total, pageNo, SUBMISSIONS_PER_PAGE, csrf(c));
    return c.html(page(frame(c, `Submissions: ${site.slug}`, 'sites', notice(c)), view));
  });

  signedIn.get('/sites/:id/submissions.csv', async (c) => submissionsCsv(c, submissions, orgId(c), siteId(c)));

  signedIn.post('/sites/:id/submissions/:submissionId/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteSubmission);
    await submissions.remove(orgId(c), siteId(c), c.req.param('submissionId'));
    return back(c, `/dashboard/sites/${siteId(c)}/submissions`, 'Submission deleted.');
  });

  signedIn.get('/keys', async (c) => {
    const listed = await keys.list(orgId(c));
    const name = (c.req.query('name') ?? '').slice(0, 100);
    return c.html(page(frame(c, 'API keys', 'keys', notice(c)), keysPage(listed.keys, c.get('dash').org.name, csrf(c), name)));
  });

  signedIn.post('/keys', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.createKey);
    const name = KeyNameSchema.safeParse(form.name ?? '');
    if (!name.success) throw new AppError('invalid_input', 'Give the key a name of 1 to 100 characters on one line.');
    const created = await keys.issue(orgId(c), userId(c), name.data);
    c.header('Cache-Control', 'no-store');
    return c.html(page(frame(c, 'New API key', 'keys'), newKeyPage(created.name, created.key)), 201);
  });

  signedIn.get('/keys/:keyId/revoke', async (c) => {
    const key = await keys.get(orgId(c), c.req.param('keyId'));
    return c.html(page(frame(c, `Revoke ${key.name}`, 'keys'), confirmRevokePage(key, csrf(c))));
  });

  signedIn.post('/keys/:keyId/revoke', async (c) => {
    await readForm(c, DASHBOARD_FORMS.revokeKey);
    await keys.revoke(orgId(c), c.req.param('keyId'));
    return back(c, '/dashboard/keys', 'Key revoked.');
  });

  signedIn.get('/orgs', async (c) => {
    const { org, orgs: reachable } = c.get('dash');
    const subs = org.parent_id === null ? (await orgs.listSubOrgs(org.id)).orgs : [];
    return c.html(page(frame(c, 'Organizations', 'orgs', notice(c)), orgsPage(org, reachable, subs, csrf(c))));
  });

  signedIn.post('/orgs', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.createOrg);
    // The API's rule for the name, so both accept the same names.
    const parsed = CreateOrgRequestSchema.shape.name.safeParse(form.name ?? '');
    if (!parsed.success) throw new AppError('invalid_input', 'Give the sub-organization a name of 1 to 100 characters on one line.');
    const created = await orgs.createSubOrg(orgId(c), parsed.data, userId(c));
    return back(c, '/dashboard/orgs', `Created ${created.name}.`);
  });

  signedIn.post('/org', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.switchOrg);
    const target = await dashboardSessions.selectOrg(c.get('dash').session, form.org_id ?? '');
    return back(c, '/dashboard', `Switched to ${target.name}.`);
  });

  signedIn.post('/logout', async (c) => {
    await readForm(c, DASHBOARD_FORMS.logout);
    await endSession(c, deps, dashboardSessions, c.get('dash').session);
    return c.redirect('/dashboard/login', 303);
  });

  formsPages(signedIn, servicesOf(deps), { frame, notice, back });
  domainsPages(signedIn, servicesOf(deps), { frame, notice, back });
  extrasPages(signedIn, servicesOf(deps), { frame, notice, back });
  app.route('/', signedIn);
  return app;
}
