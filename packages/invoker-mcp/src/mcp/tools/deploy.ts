import { z } from 'zod';
import type { AnonymousSite } from '../../contract/sites.js';
import { defineTool, type ToolResult } from '../define-tool.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { localPath, siteContent, siteInput } from './site-input.js';

/** deploy's result: the site, and for an anonymous deploy when it expires and where to keep it. */
const DeployOutputSchema = SiteOutputSchema.extend({
  expires_at: z.string().optional(),
  claim_url: z.string().optional(),
});

/** The result of a deploy without a key: live now, gone at expires_at unless the person logs in. */
function anonymousResult(site: AnonymousSite, keptIn: string | null): ToolResult<z.infer<typeof DeployOutputSchema>> {
  const text =
    `Deployed ${site.slug} without an account: it is live at ${site.url} (id ${site.id}), and it EXPIRES at ${site.expires_at} unless it is kept. ` +
    'To keep it, the user logs in: call the login tool (sign in with an email code); the site then moves into their account by itself' +
    (keptIn ? ` (its claim token is saved in ${keptIn})` : '') +
    `. Or open ${site.claim_url} in a browser to sign in and keep it there. Until then it cannot be updated or deleted.`;
  return { text, structured: { ...siteOutput(site), expires_at: site.expires_at, claim_url: site.claim_url }, links: siteLinks(site) };
}

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
  outputSchema: DeployOutputSchema,
  outputListed: false,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const { org, path, html, files, ...rest } = args;
    // No key: where the server allows it, a live site that expires unless the person logs in
    // (SPEC section 14); elsewhere api() starts the sign-in as for any tool.
    if (ctx.deployAnonymously && !(await ctx.currentKey())) {
      const content = await siteContent({ path, html, files }, ctx);
      const anonymous = await ctx.deployAnonymously({ ...rest, ...content });
      if (anonymous) return anonymousResult(anonymous.site, anonymous.keptIn);
    }
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
