// Reading form submissions (owner only): a page at a time, one deleted, or all as CSV (with a key,
// or through a signed link the owner was handed).
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { ExportLinkQuerySchema, SubmissionsQuerySchema } from 'invoker-mcp/contract/sites.js';
import type { SubmissionsService } from '../../services/submissions.js';
import type { AppEnv } from '../context.js';
import { parseQuery } from '../validate.js';

/** Every submission of one of the org's sites as a streamed CSV download (API and dashboard). */
export async function submissionsCsv(c: Context, submissions: SubmissionsService, orgId: string, siteId: string): Promise<Response> {
  const { filename, rows } = await submissions.exportCsv(orgId, siteId);
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${filename}"`);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    for await (const row of rows) await out.write(row);
  });
}

export function submissionRoutes(submissions: SubmissionsService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/submissions/:id', async (c) => {
    const query = parseQuery(c, SubmissionsQuerySchema);
    return c.json(await submissions.list(c.get('orgId'), c.req.param('id'), { page: query.page ?? 1, limit: query.limit ?? 50 }));
  });

  app.get('/submissions/:id/export.csv', (c) => submissionsCsv(c, submissions, c.get('orgId'), c.req.param('id')));

  app.delete('/submissions/:id/:submissionId', async (c) => {
    await submissions.remove(c.get('orgId'), c.req.param('id'), c.req.param('submissionId'));
    return c.body(null, 204);
  });

  return app;
}

/** A signed export link (services/submissions.ts exportLink): the CSV without a key, until it expires. */
export function exportLinkRoutes(submissions: SubmissionsService): Hono {
  const app = new Hono();
  app.get('/exports/:id/submissions.csv', (c) => {
    const siteId = c.req.param('id');
    return submissionsCsv(c, submissions, submissions.verifyExportLink(siteId, parseQuery(c, ExportLinkQuerySchema)), siteId);
  });
  return app;
}
