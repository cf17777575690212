import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const publishTool = defineTool({
  name: 'publish',
  title: 'Publish a version',
  toolset: 'sites',
  card: true,
  description:
    'Make a site\'s newest version live (once the user approved its preview), or an older one to roll back.',
  inputSchema: z.object({
    id: siteId,
    version: z.number().int().positive().optional().describe('Default: the newest'),
    org: orgInput,
  }),
  outputSchema: SiteOutputSchema,
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ id, version, org }, ctx) {
    const api = await ctx.api();
    const site = await api.publish(id, version, org);
    const rollback = version !== undefined && version < site.version ? ` (rolled back from version ${site.version})` : '';
    return { text: `Published version ${site.live_version} of ${site.slug}${rollback}. Live: ${site.url}`, structured: siteOutput(site), links: siteLinks(site) };
  },
});
