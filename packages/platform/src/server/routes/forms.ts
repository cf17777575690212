// A site's form settings (PATCH /deploy/{id}/forms) and its uploaded files, for the owner: a file
// is downloaded as an attachment, never rendered, and only here (with a key or, in the dashboard,
// a session), never from a site host. HTTP in and out; the rules are the services'.
import { Hono, type Context } from 'hono';
import { FormSettingsRequestSchema } from 'invoker-mcp/contract/forms.js';
import type { FormSettingsService } from '../../services/form-settings.js';
import type { SubmissionsService } from '../../services/submissions.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

/** An uploaded file as a download: its bytes as stored, never shown inline (API and dashboard). */
export async function uploadedFileResponse(c: Context, submissions: SubmissionsService, orgId: string, siteId: string, submissionId: string, fileId: string): Promise<Response> {
  const file = await submissions.file(orgId, siteId, submissionId, fileId);
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(file.body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      // Always a download: the type the visitor's browser claimed is recorded, never served.
      'content-type': 'application/octet-stream',
      'content-length': String(file.body.byteLength),
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    },
  });
}

export function formRoutes(deps: AppDeps, settings: FormSettingsService, submissions: SubmissionsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/deploy/:id/forms', async (c) => c.json(await settings.get(c.get('orgId'), c.req.param('id'))));
  app.patch('/deploy/:id/forms', async (c) => {
    const body = await readJson(c, FormSettingsRequestSchema, deps.limits.jsonDepth);
    return c.json(await settings.update(c.get('orgId'), c.req.param('id'), body));
  });
  app.get('/submissions/:id/:submissionId/files/:fileId', (c) =>
    uploadedFileResponse(c, submissions, c.get('orgId'), c.req.param('id'), c.req.param('submissionId'), c.req.param('fileId')),
  );
  return app;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function confirmPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}button{font:inherit;padding:.5rem 1rem}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/**
 * The confirmation of an extra notification address. Opening the mailed link only shows the page
 * (mail scanners open links); the page's button, a POST, confirms.
 */
export function notifyConfirmRoutes(settings: FormSettingsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const page = (c: Context, status: 200 | 404, title: string, body: string) => {
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    return c.html(confirmPage(title, body), status);
  };
  const unknown = (c: Context) => page(c, 404, 'Link not valid', '<p>This confirmation link is not valid: it may have been replaced by a newer one, or the address was removed.</p>');
  app.get('/forms/confirm', async (c) => {
    const token = c.req.query('token') ?? '';
    const found = await settings.confirmation(token);
    if (!found) return unknown(c);
    if (found.confirmed) return page(c, 200, 'Already confirmed', `<p>${escapeHtml(found.email)} receives this site's form submissions.</p>`);
    return page(
      c,
      200,
      'Confirm form notifications',
      `<p>Send this site's form submissions to <strong>${escapeHtml(found.email)}</strong>?</p><form method="post" action="/forms/confirm"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Confirm</button></form>`,
    );
  });
  app.post('/forms/confirm', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token : '';
    if (!(await settings.confirm(token))) return unknown(c);
    return page(c, 200, 'Confirmed', "<p>From now on this address receives the site's form submissions.</p>");
  });
  return app;
}
