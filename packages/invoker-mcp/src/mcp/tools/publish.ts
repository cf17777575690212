import { z } from 'zod';
import { SiteSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const publishTool = defineTool({
  name: 'publish',
  title: 'Publish a version',
  toolset: 'sites',
  description:
    'Make a version of a site live at its URL: the newest version by default (after the user approved its preview), ' +
    'or an older `version` number to roll back. Versions are listed by get_status. Takes effect at once.',
  inputSchema: z.object({
    id: z.string().describe('Site id (dep_…) from deploy or list_deploys'),
    version: z.number().int().positive().optional().describe('Version to make live; the newest when omitted'),
    org: orgInput,
  }),
  outputSchema: SiteSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ id, version, org }, ctx) {
    const api = await ctx.api();
    const site = await api.publish(id, version, org);
    const rollback = version !== undefined && version < site.version ? ` (rolled back from version ${site.version})` : '';
    return { text: `Published version ${site.live_version} of ${site.slug}${rollback}. Live: ${site.url}`, structured: site };
  },
});
