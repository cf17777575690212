// Dashboard pages for a site's forms (SPEC section 13): its form settings (mail, extra addresses,
// uploads, proof of work, retention), its webhooks with their deliveries and every attempt, a new
// webhook's secret shown once, and uploaded files as downloads. Everything visitors or receivers
// wrote (submissions, answer excerpts) is inserted as escaped text only.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { DeliveryList, FormSettings, WebhookList } from 'invoker-mcp/contract/forms.js';
import { AppError } from 'invoker-mcp/errors.js';
import type { Site } from 'invoker-mcp/contract/sites.js';
import type { Services } from '../../services/index.js';
import { uploadedFileResponse } from '../routes/forms.js';
import { DASHBOARD_FORMS } from './forms.js';
import { page, type Html, type PageFrame } from './layout.js';
import { readForm, type DashboardEnv } from './session.js';

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const checked = (on: boolean) => (on ? html` checked` : '');

/** A submission's cell: a file it carries is a download link, anything else text. */
export function submissionCell(siteId: string, submissionId: string, value: unknown): Html | string {
  const file = (v: unknown) =>
    typeof v === 'object' && v !== null && 'file_id' in v && 'filename' in v
      ? html`<a href="/dashboard/sites/${siteId}/submissions/${submissionId}/files/${String((v as { file_id: unknown }).file_id)}">${String((v as { filename: unknown }).filename)}</a>`
      : null;
  if (Array.isArray(value)) return html`${value.map((v, i) => html`${i ? ', ' : ''}${file(v) ?? (typeof v === 'string' ? v : JSON.stringify(v))}`)}`;
  return file(value) ?? (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
}

function formsPage(site: Site, s: FormSettings, hooks: WebhookList, csrf: string): Html {
  return html`<h1>Forms: ${site.title ?? site.slug}</h1>
<p><a href="/dashboard/sites/${site.id}">Back to the site</a> · <a href="/dashboard/sites/${site.id}/submissions">Submissions</a></p>
<h2>Settings</h2>
<form method="post" action="/dashboard/sites/${site.id}/forms" class="card">
${csrfField(csrf)}
<p><label><input type="checkbox" name="notify" value="1"${checked(s.notify)}> Mail me each new submission (at most one mail a minute; the rest come together)</label></p>
<label for="notify_emails">Also mail these addresses (one per line; each gets a link to confirm first)</label>
<textarea id="notify_emails" name="notify_emails" rows="3">${s.notify_emails.join('\n')}</textarea>
${s.unconfirmed_emails.length ? html`<p class="muted">Not confirmed yet: ${s.unconfirmed_emails.join(', ')}</p>` : ''}
<p><label><input type="checkbox" name="accept_uploads" value="1"${checked(s.accept_uploads)}> Keep files sent with the form</label></p>
<label for="form_protection">Spam protection</label>
<select id="form_protection" name="form_protection"><option value="none"${s.form_protection === 'none' ? html` selected` : ''}>Honeypot and rate limit</option><option value="pow"${s.form_protection === 'pow' ? html` selected` : ''}>Also proof of work (the page needs the widget)</option></select>
<label for="retention_days">Delete submissions after this many days (empty: keep them)</label>
<input id="retention_days" name="retention_days" type="number" min="1" max="3650" value="${s.retention_days ?? ''}">
<p><button type="submit">Save</button></p>
</form>
<h2>Webhooks</h2>
${
  hooks.webhooks.length === 0
    ? html`<div class="card"><p>No webhooks yet.</p></div>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Target</th><th scope="col">Events</th><th scope="col">Recent failures</th><th scope="col"><span class="muted">Delete</span></th></tr></thead><tbody>
${hooks.webhooks.map(
  (w) => html`<tr><td><a href="/dashboard/sites/${site.id}/webhooks/${w.id}">${w.url}</a> (${w.type})</td><td>${w.events.join(', ')}</td><td>${w.recent_failures?.length ?? 0}</td>
<td><form method="post" action="/dashboard/sites/${site.id}/webhooks/${w.id}/delete" class="inline">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Delete the webhook to ${w.url}">Delete</button></form></td></tr>`,
)}
</tbody></table></div>`
}
<form method="post" action="/dashboard/sites/${site.id}/webhooks" class="card">
${csrfField(csrf)}
<label for="webhook_url">New webhook URL (https)</label>
<input id="webhook_url" name="url" type="url" required>
<label for="webhook_type">Type</label>
<select id="webhook_type" name="type"><option value="generic">Generic (signed, Standard Webhooks)</option><option value="slack">Slack incoming webhook</option></select>
<fieldset><legend>Events</legend>
<label><input type="checkbox" name="ev_submission" value="1" checked> submission.created</label>
<label><input type="checkbox" name="ev_published" value="1"> site.published</label>
<label><input type="checkbox" name="ev_deleted" value="1"> site.deleted</label>
</fieldset>
<p><button type="submit">Add webhook</button></p>
</form>`;
}

function deliveriesPage(site: Site, hookUrl: string, list: DeliveryList): Html {
  return html`<h1>Deliveries to ${hookUrl}</h1>
<p><a href="/dashboard/sites/${site.id}/forms">Back to the forms of ${site.slug}</a></p>
${
  list.deliveries.length === 0
    ? html`<div class="card"><p>Nothing sent yet.</p></div>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts (status, time, answer)</th></tr></thead><tbody>
${list.deliveries.map(
  (d) => html`<tr><td>${d.event}<br><span class="muted">${d.id}</span></td><td>${d.status}${d.next_attempt_at ? html`<br><span class="muted">next try ${d.next_attempt_at}</span>` : ''}</td>
<td>${d.attempts.map((a) => html`<div class="data">#${a.attempt} ${a.started_at}: ${a.status_code ?? 'no answer'} in ${a.duration_ms} ms${a.error ? html` · ${a.error}` : ''}${a.excerpt ? html` · ${a.excerpt}` : ''}</div>`)}</td></tr>`,
)}
</tbody></table></div>`
}`;
}

function newWebhookPage(site: Site, url: string, secret: string): Html {
  return html`<h1>Webhook added</h1>
<div class="card">
<p>Events of ${site.slug} now go to ${url}.</p>
<p><strong>Copy the signing secret now: you won't see it again.</strong> Your receiver checks each delivery's <code>webhook-signature</code> with it (Standard Webhooks).</p>
<code class="key" id="new-key">${secret}</code>
<p class="row"><button type="button" data-copy="new-key" hidden>Copy to clipboard</button> <a href="/dashboard/sites/${site.id}/forms">Done</a></p>
</div>`;
}

export interface FormsPageHelpers {
  frame(c: Context<DashboardEnv>, title: string, section: PageFrame['section'], notice?: PageFrame['notice']): PageFrame;
  notice(c: Context<DashboardEnv>): PageFrame['notice'];
  back(c: Context<DashboardEnv>, path: string, message: string): Response;
}

/** The forms pages, on the dashboard's signed-in app (routes.ts mounts them with one line). */
export function formsPages(signedIn: Hono<DashboardEnv>, services: Services, h: FormsPageHelpers): void {
  const { sites, submissions, webhooks, formSettings } = services;
  const orgId = (c: Context<DashboardEnv>) => c.get('dash').org.id;
  const csrf = (c: Context<DashboardEnv>) => c.get('dash').session.csrfToken;
  const siteId = (c: Context<DashboardEnv>) => c.req.param('id') ?? '';

  signedIn.get('/sites/:id/forms', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const [settings, hooks] = await Promise.all([formSettings.get(orgId(c), site.id), webhooks.list(orgId(c), site.id)]);
    return c.html(page(h.frame(c, `Forms: ${site.slug}`, 'sites', h.notice(c)), formsPage(site, settings, hooks, csrf(c))));
  });

  signedIn.post('/sites/:id/forms', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.formSettings);
    const retention = (form.retention_days ?? '').trim();
    const days = retention === '' ? null : Number(retention);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw new AppError('invalid_input', 'Give the days to keep submissions as a whole number from 1 to 3650, or leave it empty to keep them.');
    }
    const emails = (form.notify_emails ?? '').split(/[\s,]+/).filter(Boolean);
    if (emails.length > 10 || emails.some((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e))) {
      throw new AppError('invalid_input', 'Give at most 10 email addresses, one per line.');
    }
    await formSettings.update(orgId(c), siteId(c), {
      notify: form.notify === '1',
      notify_emails: emails,
      accept_uploads: form.accept_uploads === '1',
      form_protection: form.form_protection === 'pow' ? 'pow' : 'none',
      retention_days: days,
    });
    return h.back(c, `/dashboard/sites/${siteId(c)}/forms`, 'Form settings saved.');
  });

  signedIn.post('/sites/:id/webhooks', async (c) => {
    const form = await readForm(c, DASHBOARD_FORMS.createWebhook);
    const site = await sites.get(orgId(c), siteId(c));
    const events = (
      [
        ['ev_submission', 'submission.created'],
        ['ev_published', 'site.published'],
        ['ev_deleted', 'site.deleted'],
      ] as const
    )
      .filter(([field]) => form[field] === '1')
      .map(([, event]) => event);
    if (events.length === 0) throw new AppError('invalid_input', 'Tick at least one event for the webhook.');
    const created = await webhooks.create(orgId(c), site.id, { url: (form.url ?? '').trim(), type: form.type === 'slack' ? 'slack' : 'generic', events });
    c.header('Cache-Control', 'no-store');
    return c.html(page(h.frame(c, 'Webhook added', 'sites'), newWebhookPage(site, created.url, created.secret)), 201);
  });

  signedIn.get('/sites/:id/webhooks/:webhookId', async (c) => {
    const site = await sites.get(orgId(c), siteId(c));
    const hook = (await webhooks.list(orgId(c), site.id)).webhooks.find((w) => w.id === c.req.param('webhookId'));
    if (!hook) throw new AppError('not_found', 'No such webhook on this site.');
    const list = await webhooks.deliveries(orgId(c), site.id, hook.id);
    return c.html(page(h.frame(c, `Deliveries: ${site.slug}`, 'sites'), deliveriesPage(site, hook.url, list)));
  });

  signedIn.post('/sites/:id/webhooks/:webhookId/delete', async (c) => {
    await readForm(c, DASHBOARD_FORMS.deleteWebhook);
    await webhooks.remove(orgId(c), siteId(c), c.req.param('webhookId'));
    return h.back(c, `/dashboard/sites/${siteId(c)}/forms`, 'Webhook deleted.');
  });

  signedIn.get('/sites/:id/submissions/:submissionId/files/:fileId', (c) =>
    uploadedFileResponse(c, submissions, orgId(c), siteId(c), c.req.param('submissionId'), c.req.param('fileId')),
  );
}
