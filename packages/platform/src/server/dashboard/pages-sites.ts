// Dashboard pages for sites: the list, one site with its versions, and its submissions. Submission
// contents come from the public and are only ever inserted as escaped text.
import { html } from 'hono/html';
import type { VersionList } from 'invoker-mcp/contract/invoker-api.js';
import type { Site, Submission } from 'invoker-mcp/contract/sites.js';
import type { PlatformUrls } from '../../services/urls.js';
import { submissionsChart } from './chart.js';
import { when, type Html } from './layout.js';
import { submissionCell } from './pages-forms.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export function sitesList(sites: Site[], orgName: string, nextCursor: string | null): Html {
  if (sites.length === 0) {
    return html`<h1>Sites</h1><div class="card"><p>No sites in ${orgName} yet. Ask your assistant to deploy one, or run <code>invoker-mcp deploy PATH</code>.</p></div>`;
  }
  return html`<h1>Sites</h1>
<div class="table-wrap"><table>
<caption class="muted">Sites in ${orgName}, newest first</caption>
<thead><tr><th scope="col">Site</th><th scope="col">Status</th><th scope="col" class="wide">Preview</th><th scope="col">Submissions</th></tr></thead>
<tbody>
${sites.map(
  (s) => html`<tr>
<td><a href="/dashboard/sites/${s.id}">${s.title ?? s.slug}</a><br><a class="muted" href="${s.url}" rel="noopener">${s.url}</a></td>
<td>${s.live_version === null ? 'Not published' : html`Live, version ${s.live_version}`}</td>
<td class="wide"><a href="${s.preview_url}" rel="noopener">Version ${s.version}</a></td>
<td><a href="/dashboard/sites/${s.id}/submissions">${s.submission_count}</a></td>
</tr>`,
)}
</tbody></table></div>
${nextCursor ? html`<p class="pager"><a href="/dashboard?cursor=${nextCursor}">Older sites</a></p>` : ''}`;
}

export function siteDetail(site: Site, versions: VersionList['versions'], perDay: Array<{ day: string; count: number }>, urls: PlatformUrls, csrf: string): Html {
  return html`<h1>${site.title ?? site.slug}</h1>
<div class="card">
<p>Live: ${site.live_version === null ? html`<span class="muted">not published yet (will be ${site.url})</span>` : html`<a href="${site.url}" rel="noopener">${site.url}</a> (version ${site.live_version})`}</p>
<p><a href="/dashboard/sites/${site.id}/submissions">${site.submission_count} submission(s)</a> · <a href="/dashboard/sites/${site.id}/forms">Form settings and webhooks</a> · <a href="/dashboard/sites/${site.id}/domains">Custom domains</a> · <a href="/dashboard/sites/${site.id}/password">Password and counters</a></p>
</div>
${submissionsChart(perDay)}
<h2>Versions</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Version</th><th scope="col" class="wide">Created</th><th scope="col">Preview</th><th scope="col">Live</th></tr></thead>
<tbody>
${versions.map(
  (v) => html`<tr>
<td>${v.version}</td>
<td class="wide">${when(v.created_at)}</td>
<td><a href="${v.preview_url}" rel="noopener">Preview</a></td>
<td>${
    v.version === site.live_version
      ? 'Live'
      : html`<form method="post" action="/dashboard/sites/${site.id}/publish" class="inline">${csrfField(csrf)}<input type="hidden" name="version" value="${v.version}"><button type="submit" class="secondary">${site.live_version !== null && v.version < site.live_version ? 'Roll back to this' : 'Publish'}</button></form>`
  }</td>
</tr>`,
)}
</tbody></table></div>
<h2>Rename</h2>
<form method="post" action="/dashboard/sites/${site.id}/slug" class="card">
${csrfField(csrf)}
<label for="slug">Slug (the site's address: slug.${urls.sitesDomain})</label>
<input id="slug" type="text" name="slug" value="${site.slug}" required pattern="[a-z0-9\\-]{1,40}">
<p><button type="submit">Rename</button></p>
</form>
<h2>Delete</h2>
<p><a class="button secondary" href="/dashboard/sites/${site.id}/delete">Delete this site…</a></p>`;
}

export function confirmDeleteSite(site: Site, csrf: string): Html {
  return html`<h1>Delete ${site.slug}?</h1>
<div class="card">
<p>This permanently deletes ${site.url}, its ${site.version} version(s) and its ${site.submission_count} form submission(s). It cannot be undone.</p>
${site.submission_count > 0 ? html`<p><a href="/dashboard/sites/${site.id}/submissions.csv">Download the submissions as CSV first</a></p>` : ''}
<form method="post" action="/dashboard/sites/${site.id}/delete">${csrfField(csrf)}<button type="submit" class="danger">Delete permanently</button> <a href="/dashboard/sites/${site.id}">Cancel</a></form>
</div>`;
}

export function submissionsPage(site: Site, items: Submission[], total: number, pageNo: number, perPage: number, csrf: string): Html {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const fields = [...new Set(items.flatMap((s) => Object.keys(s.data)))];
  // A field this submission left out (or sent empty) shows as a dash, not as "".
  const value = (submissionId: string, v: unknown) =>
    v === undefined || v === null || v === '' ? html`<span class="empty" aria-label="empty">—</span>` : submissionCell(site.id, submissionId, v);
  return html`<h1>Submissions: ${site.title ?? site.slug}</h1>
<p class="row"><span>${total} submission(s), newest first.</span> <a class="button secondary" href="/dashboard/sites/${site.id}/submissions.csv">Download CSV</a></p>
${
  items.length === 0
    ? html`<div class="card"><p>No submissions${total > 0 ? ' on this page' : ' yet'}.</p></div>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Received</th>${fields.map((f) => html`<th scope="col">${f}</th>`)}<th scope="col" class="wide">IP</th><th scope="col"><span class="muted">Delete</span></th></tr></thead>
<tbody>
${items.map(
  (s) => html`<tr><td>${when(s.created_at)}</td>${fields.map((f) => html`<td class="data">${value(s.id, s.data[f])}</td>`)}<td class="wide">${s.ip_address ?? ''}</td>
<td><form method="post" action="/dashboard/sites/${site.id}/submissions/${s.id}/delete" class="inline">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Delete submission from ${s.created_at.slice(0, 16).replace('T', ' ')} UTC">Delete</button></form></td></tr>`,
)}
</tbody></table></div>`
}
<nav class="pager" aria-label="Pages">
${pageNo > 1 ? html`<a href="/dashboard/sites/${site.id}/submissions?page=${pageNo - 1}">Newer</a>` : ''}
<span>Page ${pageNo} of ${pages}</span>
${pageNo < pages ? html`<a href="/dashboard/sites/${site.id}/submissions?page=${pageNo + 1}">Older</a>` : ''}
</nav>`;
}
