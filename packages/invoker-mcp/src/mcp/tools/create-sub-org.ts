import { z } from 'zod';
import { OrgSchema } from '../../contract/account.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const createSubOrgTool = defineTool({
  name: 'create_sub_org',
  title: 'Create a sub-organization',
  toolset: 'orgs',
  description:
    'Create a sub-organization (e.g. one per client of an agency) under your top-level organization. Its sites and ' +
    'keys are kept apart from the parent\'s; the parent\'s key can act on it by passing its id as `org`. ' +
    'Sub-organizations cannot have their own sub-organizations.',
  inputSchema: z.object({ name: z.string().min(1).max(100).describe('Name of the new sub-organization'), org: orgInput }),
  outputSchema: OrgSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ name, org }, ctx) {
    const api = await ctx.api();
    const created = await api.createSubOrg(name, org);
    return { text: `Created sub-organization "${created.name}" (${created.id}) under ${created.parent_id}.`, structured: created };
  },
});
