import { z } from 'zod';
import { DomainListSchema } from '../../contract/domains.js';
import { defineTool } from '../define-tool.js';
import { domainText } from './domain-text.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const listDomainsTool = defineTool({
  name: 'list_domains',
  title: 'Custom domains',
  toolset: 'domains',
  description: "A site's custom domains, verified or pending, with the DNS records to create.",
  inputSchema: z.object({ deployment_id: siteId, org: orgInput }),
  outputSchema: DomainListSchema,
  // Checked before sending but not listed (tools/list budget): the text spells the records out.
  outputListed: false,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org }, ctx) {
    const api = await ctx.api();
    const list = await api.listDomains(deployment_id, org);
    if (list.domains.length === 0) return { text: `No custom domains on ${deployment_id}. Add one with add_domain.`, structured: list };
    return { text: list.domains.map((d) => domainText(d, deployment_id)).join('\n\n'), structured: list };
  },
});
