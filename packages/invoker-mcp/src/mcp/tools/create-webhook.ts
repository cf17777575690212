import { CreatedWebhookSchema, CreateWebhookRequestSchema } from '../../contract/forms.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

export const createWebhookTool = defineTool({
  name: 'create_webhook',
  title: 'Create a webhook',
  toolset: 'webhooks',
  description:
    'POST a site\'s events (submission.created, site.published, site.deleted) to a URL, signed (Standard Webhooks) or as Slack {text}. Returns the whsec_ secret once: the user keeps it to verify signatures.',
  inputSchema: CreateWebhookRequestSchema.extend({ deployment_id: siteId, org: orgInput }),
  outputSchema: CreatedWebhookSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ deployment_id, org, ...body }, ctx) {
    const api = await ctx.api();
    const hook = await api.createWebhook(deployment_id, body, org);
    return {
      text: `Webhook ${hook.id} sends ${hook.events.join(', ')} to ${hook.url} (${hook.type}). Signing secret, shown only now: ${hook.secret}`,
      structured: hook,
    };
  },
});
