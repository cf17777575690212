// Dashboard pages for a site's custom domains (SPEC section 15): each domain with its status and,
// while pending, the DNS records to create; add one, check a pending one again, remove one.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Domain } from 'invoker-mcp/contract/domains.js';
import type { Site } from 'invoker-mcp/contract/sites.js';
import type { Services } from '../../services/index.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, type Html } from './layout.js';
import type { FormsPageHelpers } from './pages-forms.js';
import { readForm, type DashboardEnv } from './session.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function domainRow(site: Site, d: Domain, csrf: string): Html {
  const records =
    d.status === 'verified'
      ? html`<a href="${d.url}">${d.url}</a>`
      : html`<ul class="data">${d.dns_records.map((r) => html`<li><code>${r.type} ${r.name} → ${r.value}</code><br><span class="muted">${r.purpose}</span></li>`)}</ul>
<form method="post" action="/dashboard/sites/${site.id}/domains" class="inline">${csrfField(csrf)}<input type="hidden" name="domain" value="${d.domain}"><button type="submit" class="secondary">Check now</button></form>`;
  return html`<tr><td>${d.domain}</td><td>${d.status}${d.verified_by ? html` (${d.verified_by === 'dns' ? 'DNS TXT' : 'HTTP token'})` : ''}</td><td>${records}</td>
<td><form method="post" action="/dashboard/sites/${site.id}/domains/${encodeURIComponent(d.domain)}/delete" class="inline">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Remove ${d.domain}">Remove</button></form></td></tr>`;
}

function domainsPage(site: Site, domains: Domain[], csrf: string): Html {
  return html`<h1>Custom domains: ${site.title ?? site.slug}</h1>
<p><a href="/dashboard/sites/${site.id}">Back to the site</a></p>
${
  domains.length === 0
    ? html`<div class="card"><p>No custom domains yet. The site is at <a href="${site.url}">${site.url}</a>.</p></div>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Domain</th><th scope="col">Status</th><th scope="col">DNS records to create, or the address</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
${domains.map((d) => domainRow(site, d, csrf))}
</tbody></table></div>`
}
<form method="post" action="/dashboard/sites/${site.id}/domains" class="card">
${csrfField(csrf)}
<label for="domain">Add a domain you own (e.g. shop.example.com, or www.example.com)</label>
<input id="domain" name="domain" required maxlength="253" autocomplete="off">
<p class="muted">Create the DNS records it lists, then press Check now. HTTPS follows by itself once the domain is verified.</p>
<p><button type="submit">Add domain</button></p>
</form>`;
}

/** The domain pages, on the dashboard's signed-in app (routes.ts mounts them with one line). */
export function domainsPages(signedIn: Hono<DashboardEnv>, services: Services, h: FormsPageHelpers): void {
  const { sites, domains } = services;
  const orgId = (c: Context<DashboardEnv>) => c.get('dash').org.id;
  const siteId = (c: Context<DashboardEnv>) => c.req.param('id') ?? '';

  signedIn.get('/sites/:id/domains', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const list = await domains.list(orgId(c), site.id);
    return c.html(page(h.frame(c, `Domains: ${site.slug}`, 'sites', h.notice(c)), domainsPage(site, list.domains, c.get('dash').session.csrfToken)));
  });

  signedIn.post('/sites/:id/domains', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.addDomain);
    const { created, domain } = await domains.add(orgId(c), siteId(c), form.domain ?? '');
    const message =
      domain.status === 'verified' ? `${domain.domain} is verified: it serves the site's live version.` : created ? `${domain.domain} added: create its DNS records, then check it.` : `${domain.domain} is not verified yet: ${(domain.checks ?? []).map((k) => k.detail).join('; ')}.`;
    return h.back(c, `/dashboard/sites/${siteId(c)}/domains`, message);
  });

  signedIn.post('/sites/:id/domains/:domain/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.removeDomain);
    await domains.remove(orgId(c), siteId(c), c.req.param('domain'));
    return h.back(c, `/dashboard/sites/${siteId(c)}/domains`, `Removed ${c.req.param('domain')}.`);
  });
}
