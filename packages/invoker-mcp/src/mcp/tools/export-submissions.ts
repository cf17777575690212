import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { writeSecretFile } from '../../auth/credentials.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';
import { untrusted } from './untrusted-text.js';

/** Larger exports go to a file instead of the conversation. */
const INLINE_LIMIT = 50_000;

export const exportSubmissionsTool = defineTool({
  name: 'export_submissions',
  title: 'Export submissions',
  toolset: 'forms',
  description:
    'A site\'s submissions as CSV (a private file or link when large). Offer it before teardown.',
  inputSchema: z.object({ deployment_id: siteId, org: orgInput }),
  outputSchema: z.object({ rows: z.number().int(), csv: z.string().optional(), file: z.string().optional(), url: z.string().optional() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org }, ctx) {
    const api = await ctx.api();
    const csv = await api.exportSubmissions(deployment_id, org);
    const rows = Math.max(0, csv.split('\r\n').filter(Boolean).length - 1);
    if (csv.length <= INLINE_LIMIT || (ctx.remote && !ctx.remote.exportLink)) {
      return { text: `${rows} submission(s).\n${untrusted('CSV export.', csv)}`, structured: { rows, csv } };
    }
    // Remote (/mcp): no disk of the user's to write to, so a short-lived download link instead.
    if (ctx.remote?.exportLink) {
      const { url, expiresAt } = await ctx.remote.exportLink(deployment_id, org);
      return {
        text: `${rows} submission(s), too many to show here. Download the CSV (the link works until ${expiresAt}): ${url}`,
        structured: { rows, url },
        links: [{ uri: url, name: `${deployment_id}.csv`, description: `${rows} submission(s)`, mimeType: 'text/csv' }],
      };
    }
    const file = join(ctx.config.configDir, 'exports', `${deployment_id}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
    await writeSecretFile(file, csv);
    return {
      text: `${rows} submission(s) exported to ${file} (too large to show here).`,
      structured: { rows, file },
      links: [{ uri: pathToFileURL(file).href, name: `${deployment_id}.csv`, description: `${rows} submission(s)`, mimeType: 'text/csv' }],
    };
  },
});
