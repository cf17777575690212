import { z } from 'zod';
import { VersionSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { SiteOutputSchema, siteLinks, siteOutput } from './site-output.js';
import { siteId } from './site-input.js';
import { siteStatusLine } from './site-text.js';
import { untrusted } from './untrusted-text.js';

export const getStatusTool = defineTool({
  name: 'get_status',
  title: 'Site status',
  toolset: 'sites',
  card: true,
  description:
    'One site and its versions. Check it before update or teardown.',
  inputSchema: z.object({ id: siteId, org: orgInput }),
  outputSchema: SiteOutputSchema.extend({ versions: z.array(VersionSchema) }),
  // Checked before sending but not listed (tools/list budget): list_deploys lists the site shape.
  outputListed: false,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ id, org }, ctx) {
    const api = await ctx.api();
    const [site, { versions }] = await Promise.all([api.getDeploy(id, org), api.listVersions(id, org)]);
    const history = versions.map((v) => `- version ${v.version}${v.live ? ' (live)' : ''}, ${v.created_at}: ${v.preview_url}`).join('\n');
    const title = site.title ? `\n${untrusted('Title.', site.title)}` : '';
    return {
      text: `${siteStatusLine(site)}\nVersions:\n${history}${title}`,
      structured: { ...siteOutput(site), versions: versions as z.infer<typeof VersionSchema>[] },
      links: siteLinks(site),
    };
  },
});
