import { z } from 'zod';
import { SiteSchema, VersionSchema } from '../../contract/sites.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteStatusLine } from './site-text.js';
import { untrusted } from './untrusted-text.js';

export const getStatusTool = defineTool({
  name: 'get_status',
  title: 'Get a site\'s status',
  toolset: 'sites',
  description:
    'Show one site: live URL and version, newest version and its preview URL, submission count, and the version ' +
    'history (use a version number with publish to roll back). Call it before update or teardown to confirm the site.',
  inputSchema: z.object({ id: z.string().describe('Site id (dep_…)'), org: orgInput }),
  outputSchema: SiteSchema.extend({ versions: z.array(VersionSchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ id, org }, ctx) {
    const api = await ctx.api();
    const [site, { versions }] = await Promise.all([api.getDeploy(id, org), api.listVersions(id, org)]);
    const history = versions.map((v) => `- version ${v.version}${v.live ? ' (live)' : ''}, ${v.created_at}: ${v.preview_url}`).join('\n');
    const title = site.title ? `\n${untrusted('Title.', site.title)}` : '';
    return {
      text: `${siteStatusLine(site)}\nVersions:\n${history}${title}`,
      structured: { ...site, versions: versions as z.infer<typeof VersionSchema>[] },
    };
  },
});
