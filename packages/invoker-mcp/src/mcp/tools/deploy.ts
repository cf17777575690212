import { z } from 'zod';
import { DeployContentSchema, SiteMetadataSchema, SiteSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const deployTool = defineTool({
  name: 'deploy',
  title: 'Deploy a page or site',
  toolset: 'sites',
  description:
    'Put HTML on the web. Pass `html` (one complete document) or `files` (a multi-file site with index.html). ' +
    'By default this creates a PREVIEW: the result gives a preview URL to show the user and the live URL the site ' +
    'will get; after the user approves, call `publish` (or deploy again with publish: true). Deploying to a slug you ' +
    'already own adds a new version of that site. Forms: write action="{{SUBMIT_URL}}" and include a hidden, empty ' +
    '`_hp` input; submissions are then captured for get_submissions. Limits: 5 MB per file, 25 MB and 500 files per deploy.',
  inputSchema: DeployContentSchema.extend(SiteMetadataSchema.shape).extend({
    slug: z
      .string()
      .optional()
      .describe('Subdomain name: 1–40 of a-z, 0-9 and single hyphens, e.g. "acme-waitlist". Generated when omitted.'),
    publish: z
      .boolean()
      .optional()
      .describe('true: make this version live at once. Default false: preview only, publish after the user approves.'),
    org: orgInput,
  }),
  outputSchema: SiteSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const api = await ctx.api();
    const { org, ...body } = args;
    const site = await api.deploy({ ...body, publish: body.publish ?? false }, org);
    const text =
      site.live_version === site.version
        ? `Deployed ${site.slug} version ${site.version} and published it. Live: ${site.url} (id ${site.id}).`
        : `Deployed ${site.slug} version ${site.version} as a preview: ${site.preview_url}\n` +
          `Show the preview to the user; after they approve, call publish with id ${site.id} to make it live at ${site.url}` +
          (site.live_version === null ? '.' : ` (version ${site.live_version} stays live until then).`);
    return { text, structured: site };
  },
});
