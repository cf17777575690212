// The dashboard at {public url}/dashboard: server-rendered pages for sites, submissions, API keys
// and organizations, with plain HTML forms (everything works without JavaScript). Scoping follows the
// API's rules: the selected org is `c`, and every object is looked up through it.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { AppError } from 'invoker-mcp/errors.js';
import { slugProblem } from 'invoker-mcp/contract/slug.js';
import { CreateOrgRequestSchema, KeyNameSchema } from 'invoker-mcp/contract/account.js';
import type { AppDeps } from '../context.js';
import { answerFor } from '../http-errors.js';
import { issueApiKey } from '../keys.js';
import { SITE_NOT_FOUND, siteJson } from '../routes/deploy.js';
import { submissionsCsv } from '../routes/submissions.js';
import { DASHBOARD_CSS, DASHBOARD_JS } from './assets.js';
import { page, type PageFrame } from './layout.js';
import { confirmRevokePage, keysPage, newKeyPage, orgsPage } from './pages-account.js';
import { confirmDeleteSite, siteDetail, sitesList, submissionsPage } from './pages-sites.js';
import { endSession, readForm, requireSession, sameOriginPosts, securityHeaders, type DashboardEnv } from './session.js';
import { signInRoutes } from './sign-in.js';
import { DASHBOARD_FORMS } from './forms.js';

const SUBMISSIONS_PER_PAGE = 25;

export function dashboardRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.onError((err, c) => {
    // The same answer as the API's (a logged request id for failures), as a page.
    const answer = answerFor(deps.log, `dashboard ${c.req.method} ${c.req.path}`, err);
    for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
    return c.html(page({ title: 'Something went wrong', notice: { kind: 'error', text: answer.body.error } }, html`<p><a href="/dashboard">Back to the dashboard</a></p>`), answer.status);
  });

  app.get('/assets/app.css', (c) => c.body(DASHBOARD_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.get('/assets/app.js', (c) => c.body(DASHBOARD_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }));
  app.route('/', signInRoutes(deps));

  const signedIn = new Hono<DashboardEnv>();
  signedIn.use('*', sameOriginPosts(deps));
  signedIn.use('*', requireSession(deps));

  const frame = (c: Context<DashboardEnv>, title: string, section: PageFrame['section'], notice?: PageFrame['notice']): PageFrame => {
    const { session, org, orgs } = c.get('dash');
    return { title, section, notice, session: { email: session.email, csrf: session.csrfToken, org, orgs } };
  };
  const orgId = (c: Context<DashboardEnv>) => c.get('dash').org.id;
  const csrf = (c: Context<DashboardEnv>) => c.get('dash').session.csrfToken;
  const site = async (c: Context<DashboardEnv>) => {
    const found = await deps.store.getSite(orgId(c), c.req.param('id') ?? '');
    if (!found) throw new AppError('not_found', SITE_NOT_FOUND.replace('list_deploys (GET /deploys)', 'the Sites page'));
    return found;
  };
  const notice = (c: Context<DashboardEnv>): PageFrame['notice'] => {
    const done = c.req.query('done');
    return done ? { kind: 'ok', text: done } : undefined;
  };
  const back = (c: Context<DashboardEnv>, path: string, message: string) => c.redirect(`${path}?done=${encodeURIComponent(message)}`, 303);

  signedIn.get('/', async (c) => {
    const listed = await deps.store.listSites(orgId(c), { limit: 50, cursor: c.req.query('cursor') ?? null });
    const sites = listed.items.map((s) => siteJson(deps.urls, s));
    return c.html(page(frame(c, 'Sites', 'sites', notice(c)), sitesList(sites, c.get('dash').org.name, listed.nextCursor)));
  });

  signedIn.get('/sites/:id', async (c) => {
    const record = await site(c);
    const versions = (await deps.store.listVersions(orgId(c), record.id)) ?? [];
    return c.html(page(frame(c, record.slug, 'sites', notice(c)), siteDetail(siteJson(deps.urls, record), versions, deps.urls, csrf(c))));
  });

  signedIn.post('/sites/:id/publish', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.publish);
    const record = await site(c);
    const version = Number(form.version);
    const published = await deps.store.publish(orgId(c), record.id, Number.isInteger(version) ? version : null, deps.now().toISOString());
    if (!published) throw new AppError('not_found', 'That version does not exist any more. Reload the page.');
    return back(c, `/dashboard/sites/${record.id}`, `Version ${published.liveVersion} is live.`);
  });

  signedIn.post('/sites/:id/slug', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.rename);
    const record = await site(c);
    const slug = (form.slug ?? '').trim();
    const problem = slugProblem(slug);
    if (problem) throw new AppError('invalid_input', `Invalid slug "${slug}": ${problem}.`);
    await deps.store.renameSite(orgId(c), record.id, slug, deps.now().toISOString());
    return back(c, `/dashboard/sites/${record.id}`, `Renamed to ${slug}.`);
  });

  signedIn.get('/sites/:id/delete', async (c) => {
    const record = await site(c);
    return c.html(page(frame(c, `Delete ${record.slug}`, 'sites'), confirmDeleteSite(siteJson(deps.urls, record), csrf(c))));
  });

  signedIn.post('/sites/:id/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteSite);
    const record = await site(c);
    await deps.store.deleteSite(orgId(c), record.id);
    return back(c, '/dashboard', `Deleted ${record.slug}.`);
  });

  signedIn.get('/sites/:id/submissions', async (c) => {
    const record = await site(c);
    const pageNo = Math.max(1, Math.min(1_000_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const result = await deps.store.listSubmissions(orgId(c), record.id, { page: pageNo, limit: SUBMISSIONS_PER_PAGE });
    const view = submissionsPage(siteJson(deps.urls, record), result?.items ?? [], result?.total ?? 0, pageNo, SUBMISSIONS_PER_PAGE, csrf(c));
    return c.html(page(frame(c, `Submissions: ${record.slug}`, 'sites', notice(c)), view));
  });

  signedIn.get('/sites/:id/submissions.csv', async (c) => submissionsCsv(c, deps, orgId(c), c.req.param('id')));

  signedIn.post('/sites/:id/submissions/:submissionId/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteSubmission);
    const record = await site(c);
    const deleted = await deps.store.deleteSubmission(orgId(c), record.id, c.req.param('submissionId'));
    if (!deleted) throw new AppError('not_found', 'That submission was already deleted. Reload the page.');
    return back(c, `/dashboard/sites/${record.id}/submissions`, 'Submission deleted.');
  });

  signedIn.get('/keys', async (c) => {
    const keys = await deps.store.listApiKeys(orgId(c));
    return c.html(page(frame(c, 'API keys', 'keys', notice(c)), keysPage(keys, c.get('dash').org.name, csrf(c))));
  });

  signedIn.post('/keys', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.createKey);
    const name = KeyNameSchema.safeParse(form.name ?? '');
    if (!name.success) throw new AppError('invalid_input', 'Give the key a name of 1 to 100 characters on one line.');
    const issued = await issueApiKey(deps.store, { orgId: orgId(c), userId: c.get('dash').session.userId, name: name.data, now: deps.now().toISOString() });
    c.header('Cache-Control', 'no-store');
    return c.html(page(frame(c, 'New API key', 'keys'), newKeyPage(issued.record.name, issued.key)), 201);
  });

  signedIn.get('/keys/:keyId/revoke', async (c) => {
    const key = (await deps.store.listApiKeys(orgId(c))).find((k) => k.id === c.req.param('keyId'));
    if (!key) throw new AppError('not_found', 'API key not found in this organization. It may be revoked already.');
    return c.html(page(frame(c, `Revoke ${key.name}`, 'keys'), confirmRevokePage(key, csrf(c))));
  });

  signedIn.post('/keys/:keyId/revoke', async (c) => {
    await readForm(c, DASHBOARD_FORMS.revokeKey);
    const revoked = await deps.store.revokeApiKey(orgId(c), c.req.param('keyId'), deps.now().toISOString());
    if (!revoked) throw new AppError('not_found', 'API key not found in this organization. It may be revoked already.');
    return back(c, '/dashboard/keys', 'Key revoked.');
  });

  signedIn.get('/orgs', async (c) => {
    const { org, orgs } = c.get('dash');
    const subs = org.parentId === null ? await deps.store.listSubOrgs(org.id) : [];
    return c.html(page(frame(c, 'Organizations', 'orgs', notice(c)), orgsPage(org, orgs, subs, csrf(c))));
  });

  signedIn.post('/orgs', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.createOrg);
    const { org, session } = c.get('dash');
    // The API's rule for the name, so both accept the same names.
    const parsed = CreateOrgRequestSchema.shape.name.safeParse(form.name ?? '');
    if (!parsed.success) throw new AppError('invalid_input', 'Give the sub-organization a name of 1 to 100 characters on one line.');
    const name = parsed.data;
    if (org.parentId !== null) throw new AppError('invalid_input', 'Sub-organizations cannot have their own. Switch to the parent organization first.');
    await deps.store.createSubOrg({ parentId: org.id, name, ownerUserId: session.userId, now: deps.now().toISOString() });
    return back(c, '/dashboard/orgs', `Created ${name}.`);
  });

  signedIn.post('/org', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.switchOrg);
    const { orgs, session } = c.get('dash');
    // Only orgs this user may act on; anything else is as if it did not exist.
    const target = orgs.find((o) => o.id === form.org_id);
    if (!target) throw new AppError('not_found', 'Organization not found. Pick one from the menu.');
    await deps.store.setDashboardSessionOrg(session.id, target.id);
    return back(c, '/dashboard', `Switched to ${target.name}.`);
  });

  signedIn.post('/logout', async (c) => {
    await readForm(c, DASHBOARD_FORMS.logout);
    await endSession(c, deps, c.get('dash').session);
    return c.redirect('/dashboard/login', 303);
  });

  app.route('/', signedIn);
  return app;
}
