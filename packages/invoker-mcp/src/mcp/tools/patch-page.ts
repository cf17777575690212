import { z } from 'zod';
import { PageEditSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { siteId } from './site-input.js';
import { newVersionText } from './update.js';

const { path, find, replace } = PageEditSchema.shape;

export const patchPageTool = defineTool({
  name: 'patch_page',
  title: 'Patch a page',
  toolset: 'sites',
  card: true,
  description:
    'Small edits as a new version (a preview unless publish: true): exact find/replace, each find occurring once.',
  inputSchema: z.object({
    id: siteId,
    edits: z.array(PageEditSchema.extend({ path: path.describe('Default index.html'), find: find.meta({ description: undefined }), replace: replace.meta({ description: undefined }) })).min(1).max(100),
    base_version: z.number().int().positive().optional().describe('The version you read; refused if older'),
    publish: z.boolean().optional(),
    org: orgInput,
  }),
  outputSchema: SiteOutputSchema,
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ id, org, ...body }, ctx) {
    const api = await ctx.api();
    const site = await api.patch(id, { ...body, publish: body.publish ?? false }, org);
    const edits = body.edits.length === 1 ? '1 edit' : `${body.edits.length} edits`;
    return { text: newVersionText(site, `Applied ${edits}: made`), structured: siteOutput(site), links: siteLinks(site) };
  },
});
