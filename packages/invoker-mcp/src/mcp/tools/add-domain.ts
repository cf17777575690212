import { z } from 'zod';
import { DomainSchema } from '../../contract/domains.js';
import { defineTool } from '../define-tool.js';
import { domainText } from './domain-text.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const addDomainTool = defineTool({
  name: 'add_domain',
  title: 'Add a custom domain',
  toolset: 'domains',
  description:
    'Serve a site at a domain the user owns (apex or www). Returns the DNS records to create; call again after DNS is set to verify. HTTPS follows once verified.',
  inputSchema: z.object({ deployment_id: siteId, domain: z.string().describe('e.g. shop.example.com'), org: orgInput }),
  outputSchema: DomainSchema,
  // Checked before sending but not listed (tools/list budget): the text spells the records out.
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, domain, org }, ctx) {
    const api = await ctx.api();
    const d = await api.addDomain(deployment_id, domain, org);
    return { text: domainText(d, deployment_id), structured: d };
  },
});
