import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { SiteOutputSchema, siteOutput } from './site-output.js';
import { siteStatusLine } from './site-text.js';
import { untrusted } from './untrusted-text.js';

export const listDeploysTool = defineTool({
  name: 'list_deploys',
  title: 'List sites',
  toolset: 'sites',
  description:
    'The org\'s sites, newest first, with URLs and submission counts.',
  inputSchema: z.object({
    limit: z.number().int().min(1).max(100).optional().describe('Default 20'),
    cursor: z.string().optional().describe('next_cursor of the last call'),
    org: orgInput,
  }),
  outputSchema: z.object({ deploys: z.array(SiteOutputSchema), next_cursor: z.string().nullable() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ limit, cursor, org }, ctx) {
    const api = await ctx.api();
    const page = await api.listDeploys({ limit, cursor }, org);
    const structured = { deploys: page.deploys.map(siteOutput), next_cursor: page.next_cursor };
    if (page.deploys.length === 0) return { text: 'No sites yet. Create one with deploy.', structured };
    const lines = page.deploys.map((s) => `- ${siteStatusLine(s)}`).join('\n');
    const titles = page.deploys.filter((s) => s.title).map((s) => `${s.id}: ${s.title}`).join('\n');
    const more = page.next_cursor ? `\nMore sites: call list_deploys with cursor "${page.next_cursor}".` : '';
    return { text: `${lines}${more}${titles ? `\n${untrusted('Page titles.', titles)}` : ''}`, structured };
  },
});
