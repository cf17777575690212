import { z } from 'zod';
import { OrgSchema } from '../../contract/account.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const createSubOrgTool = defineTool({
  name: 'create_sub_org',
  title: 'Create a sub-org',
  toolset: 'orgs',
  description:
    'Create a sub-org (e.g. one per client) under your top-level org; its sites and keys stay apart.',
  inputSchema: z.object({ name: z.string().min(1).max(100).describe('Its name, e.g. the client\'s'), org: orgInput }),
  outputSchema: OrgSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ name, org }, ctx) {
    const api = await ctx.api();
    const created = await api.createSubOrg(name, org);
    return { text: `Created sub-organization "${created.name}" (${created.id}) under ${created.parent_id}.`, structured: created };
  },
});
