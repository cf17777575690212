import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const deleteWebhookTool = defineTool({
  name: 'delete_webhook',
  title: 'Delete a webhook',
  toolset: 'webhooks',
  description: 'Stop sending a site\'s events to a webhook; its pending deliveries are dropped.',
  inputSchema: z.object({ deployment_id: siteId, webhook_id: z.string().describe('whk_… from list_webhooks'), org: orgInput }),
  outputSchema: z.object({ id: z.string(), deleted: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, webhook_id, org }, ctx) {
    const api = await ctx.api();
    await api.deleteWebhook(deployment_id, webhook_id, org);
    return { text: `Deleted webhook ${webhook_id}.`, structured: { id: webhook_id, deleted: true } };
  },
});
