import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const teardownTool = defineTool({
  name: 'teardown',
  title: 'Delete a site',
  toolset: 'sites',
  description:
    'Delete a site and its submissions. Without confirm: true it only says what would go; ' +
    'confirm once the user agrees (offer export_submissions).',
  inputSchema: z.object({
    id: siteId,
    confirm: z.boolean().optional().describe('true: delete'),
    org: orgInput,
  }),
  outputSchema: z.object({ id: z.string(), deleted: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ id, confirm, org }, ctx) {
    const api = await ctx.api();
    const site = await api.getDeploy(id, org);
    if (!confirm) {
      return {
        text:
          `You are about to permanently delete ${site.slug} (${site.id}):\n` +
          `- ${site.live_version === null ? 'no live version' : `the live site at ${site.url}`}\n` +
          `- ${site.version} version(s)\n- ${site.submission_count} form submission(s)\n` +
          'This cannot be undone. To proceed, call teardown again with confirm: true.',
        structured: { id: site.id, deleted: false },
      };
    }
    await api.deleteDeploy(id, org);
    return { text: `Deleted ${site.slug} (${site.id}). ${site.url} no longer answers and the slug is free.`, structured: { id: site.id, deleted: true } };
  },
});
