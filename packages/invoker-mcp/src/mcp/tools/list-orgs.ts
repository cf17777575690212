import { z } from 'zod';
import { OrgSchema } from '../../contract/account.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const listOrgsTool = defineTool({
  name: 'list_orgs',
  title: 'List orgs',
  toolset: 'orgs',
  description:
    'Your org and its sub-orgs (an agency\'s clients); pass a sub-org id as org to act on it.',
  inputSchema: z.object({ org: orgInput }),
  outputSchema: z.object({ org: OrgSchema, sub_orgs: z.array(OrgSchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ org }, ctx) {
    const api = await ctx.api();
    const [current, { orgs }] = await Promise.all([api.getOrg(org), api.listSubOrgs(org)]);
    const subs = orgs.map((o) => `- ${o.id} "${o.name}"`).join('\n');
    return {
      text: `Organization "${current.name}" (${current.id}).` + (orgs.length ? `\nSub-organizations:\n${subs}` : '\nNo sub-organizations.'),
      structured: { org: current, sub_orgs: orgs },
    };
  },
});
