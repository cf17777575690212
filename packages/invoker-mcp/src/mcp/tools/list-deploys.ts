import { z } from 'zod';
import { DeployListSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteStatusLine } from './site-text.js';
import { untrusted } from './untrusted-text.js';

export const listDeploysTool = defineTool({
  name: 'list_deploys',
  title: 'List sites',
  toolset: 'sites',
  description:
    'List the organization\'s sites, newest first, with their live and preview URLs and submission counts. ' +
    'Up to `limit` (default 20) per call; pass next_cursor back as `cursor` for more.',
  inputSchema: z.object({
    limit: z.number().int().min(1).max(100).optional().describe('Sites per page, 1–100 (default 20)'),
    cursor: z.string().optional().describe('next_cursor from the previous call'),
    org: orgInput,
  }),
  outputSchema: DeployListSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ limit, cursor, org }, ctx) {
    const api = await ctx.api();
    const page = await api.listDeploys({ limit, cursor }, org);
    if (page.deploys.length === 0) return { text: 'No sites yet. Create one with deploy.', structured: page };
    const lines = page.deploys.map((s) => `- ${siteStatusLine(s)}`).join('\n');
    const titles = page.deploys.filter((s) => s.title).map((s) => `${s.id}: ${s.title}`).join('\n');
    const more = page.next_cursor ? `\nMore sites: call list_deploys with cursor "${page.next_cursor}".` : '';
    return { text: `${lines}${more}${titles ? `\n${untrusted('Page titles.', titles)}` : ''}`, structured: page };
  },
});
