import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const removeDomainTool = defineTool({
  name: 'remove_domain',
  title: 'Remove a custom domain',
  toolset: 'domains',
  description: 'Stop serving a site at a custom domain, at once. The DNS records can go afterwards.',
  inputSchema: z.object({ deployment_id: siteId, domain: z.string().describe('The domain to remove'), org: orgInput }),
  outputSchema: z.object({ domain: z.string(), removed: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, domain, org }, ctx) {
    const api = await ctx.api();
    await api.removeDomain(deployment_id, domain, org);
    return { text: `Removed ${domain} from ${deployment_id}: it serves nothing from now on.`, structured: { domain, removed: true } };
  },
});
