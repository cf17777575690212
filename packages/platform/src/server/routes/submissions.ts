// Reading form submissions (owner only): a page at a time, one deleted, or all as CSV.
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { AppError } from 'invoker-mcp/errors.js';
import { SubmissionsQuerySchema, type Submission } from 'invoker-mcp/contract/sites.js';
import type { SubmissionRecord } from '../../store/store.js';
import type { AppDeps, AppEnv } from '../context.js';
import { csvRow } from '../csv.js';
import { parseQuery } from '../validate.js';
import { SITE_NOT_FOUND } from './deploy.js';

export function submissionJson(s: SubmissionRecord): Submission {
  return { id: s.id, data: s.data, ip_address: s.ipAddress, created_at: s.createdAt };
}

/** Every submission of one of the org's sites as a streamed CSV download (API and dashboard). */
export async function submissionsCsv(c: Context, deps: AppDeps, orgId: string, siteId: string): Promise<Response> {
  const site = await deps.store.getSite(orgId, siteId);
  if (!site) throw new AppError('not_found', SITE_NOT_FOUND);
  // Columns: the fixed ones, then every field name seen, in first-seen order (one pass to collect).
  const fields: string[] = [];
  const seen = new Set<string>();
  for await (const s of deps.store.eachSubmission(orgId, site.id)) {
    for (const name of Object.keys(s.data)) {
      if (!seen.has(name)) {
        seen.add(name);
        fields.push(name);
      }
    }
  }
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${site.slug}-submissions.csv"`);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    await out.write(csvRow(['id', 'created_at', 'ip_address', ...fields]));
    for await (const s of deps.store.eachSubmission(orgId, site.id)) {
      await out.write(csvRow([s.id, s.createdAt, s.ipAddress, ...fields.map((f) => s.data[f])]));
    }
  });
}

export function submissionRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/submissions/:id', async (c) => {
    const query = parseQuery(c, SubmissionsQuerySchema);
    const page = query.page ?? 1;
    const limit = query.limit ?? 50;
    const result = await deps.store.listSubmissions(c.get('orgId'), c.req.param('id'), { page, limit });
    if (!result) throw new AppError('not_found', SITE_NOT_FOUND);
    return c.json({ submissions: result.items.map(submissionJson), total: result.total, page, limit });
  });

  app.get('/submissions/:id/export.csv', (c) => submissionsCsv(c, deps, c.get('orgId'), c.req.param('id')));

  app.delete('/submissions/:id/:submissionId', async (c) => {
    const deleted = await deps.store.deleteSubmission(c.get('orgId'), c.req.param('id'), c.req.param('submissionId'));
    if (!deleted) throw new AppError('not_found', 'Submission not found. List submissions with GET /submissions/{deploy_id}.');
    return c.body(null, 204);
  });

  return app;
}
