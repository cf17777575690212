import { z } from 'zod';
import { DeployContentSchema, SiteMetadataSchema, SiteSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const updateTool = defineTool({
  name: 'update',
  title: 'Update a site',
  toolset: 'sites',
  description:
    'Upload new content for an existing site (same slug and URL) as a new version. `html` or `files` replaces all ' +
    'files; title, description, favicon and is_spa are kept unless given. Like deploy, the new version is a preview ' +
    'by default: show its preview URL, then call publish (or pass publish: true to go live at once).',
  inputSchema: DeployContentSchema.extend(SiteMetadataSchema.shape).extend({
    id: z.string().describe('Site id (dep_…)'),
    publish: z.boolean().optional().describe('true: make the new version live at once (default false)'),
    org: orgInput,
  }),
  outputSchema: SiteSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ id, org, ...body }, ctx) {
    const api = await ctx.api();
    const site = await api.update(id, { ...body, publish: body.publish ?? false }, org);
    const text =
      site.live_version === site.version
        ? `Updated ${site.slug} to version ${site.version}, live at ${site.url}`
        : `Uploaded version ${site.version} of ${site.slug} as a preview: ${site.preview_url}\nAfter the user approves, call publish with id ${site.id} to make it live at ${site.url}.`;
    return { text, structured: site };
  },
});
