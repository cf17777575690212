import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { localPath, siteContent, siteId, siteInputAgain } from './site-input.js';

export const updateTool = defineTool({
  name: 'update',
  title: 'Update a site',
  toolset: 'sites',
  localInputs: ['path'],
  card: true,
  description:
    'New version at the same URL (deploy\'s fields): html, files or path replace all files, metadata stays ' +
    'unless given; a preview unless publish: true. Small edits: patch_page.',
  inputSchema: z.object({ id: siteId, ...siteInputAgain, path: localPath }),
  listedAs: { files: z.array(z.looseObject({ path: z.string(), content: z.string() })).optional() },
  outputSchema: SiteOutputSchema,
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ id, org, path, html, files, ...rest }, ctx) {
    const api = await ctx.api();
    const content = await siteContent({ path, html, files }, ctx);
    const site = await api.update(id, { ...rest, ...content, publish: rest.publish ?? false }, org);
    return { text: newVersionText(site, 'Uploaded'), structured: siteOutput(site), links: siteLinks(site) };
  },
});

/** What update and patch_page say about the version they made. */
export function newVersionText(site: z.infer<typeof SiteOutputSchema> & { version: number }, verb: string): string {
  return site.live_version === site.version
    ? `${verb} version ${site.version} of ${site.slug}, live at ${site.url}`
    : `${verb} version ${site.version} of ${site.slug} as a preview: ${site.preview_url}\nAfter the user approves, call publish with id ${site.id} to make it live at ${site.url}.`;
}
