// Dashboard page for a site's password and counters (SPEC section 14): the owner sets, changes or
// removes the password here (the protect_site tool sends the person to this page, so the password
// never passes through a model), and sees, resets or deletes the counters its pages keep.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { CounterList, SitePasswordStatus } from 'invoker-mcp/contract/extras.js';
import { PASSWORD_MAX, PASSWORD_MIN } from 'invoker-mcp/contract/extras.js';
import type { Site } from 'invoker-mcp/contract/sites.js';
import type { Services } from '../../services/index.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, when, type Html } from './layout.js';
import type { FormsPageHelpers } from './pages-forms.js';
import { readForm, type DashboardEnv } from './session.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function extrasPage(site: Site, password: SitePasswordStatus, list: CounterList, csrf: string): Html {
  return html`<h1>Password and counters: ${site.title ?? site.slug}</h1>
<p><a href="/dashboard/sites/${site.id}">Back to the site</a></p>
<h2>Password</h2>
<div class="card">
<p>${password.protected ? 'Visitors must enter a password to see any page of this site.' : 'Anyone with the address can see this site.'}</p>
<form method="post" action="/dashboard/sites/${site.id}/password">
${csrfField(csrf)}
<label for="site_password">${password.protected ? 'New password (everyone signed in with the old one must enter this one)' : 'Password'}</label>
<input id="site_password" name="password" type="password" required minlength="${PASSWORD_MIN}" maxlength="${PASSWORD_MAX}" autocomplete="new-password" aria-describedby="site_password_hint">
<p class="muted" id="site_password_hint">At least ${PASSWORD_MIN} characters. Share it only with the people who should see the site.</p>
<p><button type="submit">${password.protected ? 'Change password' : 'Protect the site'}</button></p>
</form>
${
  password.protected
    ? html`<form method="post" action="/dashboard/sites/${site.id}/password/remove" class="inline">${csrfField(csrf)}<button type="submit" class="secondary">Remove the password</button></form>`
    : ''
}
</div>
<h2>Counters</h2>
${
  list.counters.length === 0
    ? html`<div class="card"><p>No counters yet. A page keeps one with <code>POST /_counter/{name}/increment</code> on its own address.</p></div>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col" class="wide">Last change</th><th scope="col"><span class="muted">Actions</span></th></tr></thead><tbody>
${list.counters.map(
  (c) => html`<tr><td>${c.name}</td><td>${c.value}</td><td class="wide">${when(c.updated_at)}</td>
<td><form method="post" action="/dashboard/sites/${site.id}/counters/${c.name}/reset" class="inline">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Reset ${c.name} to 0">Reset</button></form>
<form method="post" action="/dashboard/sites/${site.id}/counters/${c.name}/delete" class="inline">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Delete ${c.name}">Delete</button></form></td></tr>`,
)}
</tbody></table></div>`
}`;
}

/** The page and its forms, on the dashboard's signed-in app (routes.ts mounts them with one line). */
export function extrasPages(signedIn: Hono<DashboardEnv>, services: Services, h: FormsPageHelpers): void {
  const { sites, counters, sitePasswords } = services;
  const orgId = (c: Context<DashboardEnv>) => c.get('dash').org.id;
  const siteId = (c: Context<DashboardEnv>) => c.req.param('id') ?? '';
  const here = (c: Context<DashboardEnv>) => `/dashboard/sites/${siteId(c)}/password`;

  signedIn.get('/sites/:id/password', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const [password, list] = await Promise.all([sitePasswords.status(orgId(c), site.id), counters.list(orgId(c), site.id)]);
    return c.html(page(h.frame(c, `Password: ${site.slug}`, 'sites', h.notice(c)), extrasPage(site, password, list, c.get('dash').session.csrfToken)));
  });

  signedIn.post('/sites/:id/password', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.sitePassword);
    await sitePasswords.set(orgId(c), siteId(c), form.password ?? '');
    return h.back(c, here(c), 'The site now asks for this password.');
  });

  signedIn.post('/sites/:id/password/remove', async (c) => {
    await readForm(c, DASHBOARD_FORMS.removeSitePassword);
    await sitePasswords.remove(orgId(c), siteId(c));
    return h.back(c, here(c), 'The password is removed: the site is open to everyone.');
  });

  signedIn.post('/sites/:id/counters/:name/reset', async (c) => {
    await readForm(c, DASHBOARD_FORMS.resetCounter);
    const reset = await counters.reset(orgId(c), siteId(c), c.req.param('name'));
    return h.back(c, here(c), `${reset.name} is back to 0.`);
  });

  signedIn.post('/sites/:id/counters/:name/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteCounter);
    await counters.remove(orgId(c), siteId(c), c.req.param('name'));
    return h.back(c, here(c), 'Counter deleted.');
  });
}
