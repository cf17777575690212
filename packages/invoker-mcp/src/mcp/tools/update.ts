import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { SiteOutputSchema, siteOutput } from './site-output.js';
import { siteId, siteInputAgain } from './site-input.js';

export const updateTool = defineTool({
  name: 'update',
  title: 'Update a site',
  toolset: 'sites',
  description:
    'New version at the same URL (deploy\'s fields): html or files replace all files, metadata stays unless ' +
    'given; a preview unless publish: true.',
  inputSchema: z.object({ id: siteId, ...siteInputAgain }),
  outputSchema: SiteOutputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ id, org, ...body }, ctx) {
    const api = await ctx.api();
    const site = await api.update(id, { ...body, publish: body.publish ?? false }, org);
    const text =
      site.live_version === site.version
        ? `Updated ${site.slug} to version ${site.version}, live at ${site.url}`
        : `Uploaded version ${site.version} of ${site.slug} as a preview: ${site.preview_url}\nAfter the user approves, call publish with id ${site.id} to make it live at ${site.url}.`;
    return { text, structured: siteOutput(site) };
  },
});
