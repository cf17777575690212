import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { localPath, siteContent, siteInput } from './site-input.js';

export const deployTool = defineTool({
  name: 'deploy',
  title: 'Deploy a site',
  toolset: 'sites',
  localInputs: ['path'],
  card: true,
  description:
    'Put a page or site on the web as a PREVIEW (publish: true: live); show its URL, publish once approved. ' +
    'Files on disk: pass path. Forms: action="{{SUBMIT_URL}}", a hidden empty _hp input.',
  inputSchema: z.object({
    ...siteInput,
    path: localPath.describe('Local .html file or site folder'),
    slug: z.string().optional().describe('Subdomain (a-z 0-9 -); default generated'),
  }),
  outputSchema: SiteOutputSchema,
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const { org, path, html, files, ...rest } = args;
    const api = await ctx.api();
    const content = await siteContent({ path, html, files }, ctx);
    const site = await api.deploy({ ...rest, ...content, publish: rest.publish ?? false }, org);
    const text =
      site.live_version === site.version
        ? `Deployed ${site.slug} version ${site.version} and published it. Live: ${site.url} (id ${site.id}).`
        : `Deployed ${site.slug} version ${site.version} as a preview: ${site.preview_url}\n` +
          `Show the preview to the user; after they approve, call publish with id ${site.id} to make it live at ${site.url}` +
          (site.live_version === null ? '.' : ` (version ${site.live_version} stays live until then).`);
    return { text, structured: siteOutput(site), links: siteLinks(site) };
  },
});
