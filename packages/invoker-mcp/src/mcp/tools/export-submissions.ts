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
    'A site\'s submissions as CSV (in a private file when large). Offer it before teardown.',
  inputSchema: z.object({ deployment_id: siteId, org: orgInput }),
  outputSchema: z.object({ rows: z.number().int(), csv: z.string().optional(), file: z.string().optional() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org }, ctx) {
    const api = await ctx.api();
    const csv = await api.exportSubmissions(deployment_id, org);
    const rows = Math.max(0, csv.split('\r\n').filter(Boolean).length - 1);
    // Remote (/mcp): no disk of the user's to write to, so the CSV always comes inline.
    if (csv.length <= INLINE_LIMIT || ctx.remote) {
      return { text: `${rows} submission(s).\n${untrusted('CSV export.', csv)}`, structured: { rows, csv } };
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
