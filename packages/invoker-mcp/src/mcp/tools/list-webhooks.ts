import { WebhookListSchema } from '../../contract/forms.js';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';
import { untrusted } from './untrusted-text.js';

export const listWebhooksTool = defineTool({
  name: 'list_webhooks',
  title: 'List webhooks',
  toolset: 'webhooks',
  description: "A site's webhooks, each with its latest failed deliveries (status, error, the receiver's answer).",
  inputSchema: z.object({ deployment_id: siteId, org: orgInput }),
  outputSchema: WebhookListSchema,
  // Checked, not listed (600 bytes): a remote `read deploy` grant lists every toolset's read tools,
  // and with the extras tools that listing would pass its 16,000-byte budget. The text names each field.
  outputListed: false,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org }, ctx) {
    const api = await ctx.api();
    const list = await api.listWebhooks(deployment_id, org);
    if (list.webhooks.length === 0) return { text: `No webhooks on ${deployment_id}.`, structured: list };
    const lines = list.webhooks.map((w) => `${w.id}: ${w.events.join(', ')} → ${w.url} (${w.type}), ${w.recent_failures?.length ?? 0} recent failure(s)`);
    const failures = list.webhooks.flatMap((w) =>
      (w.recent_failures ?? []).map((a) => JSON.stringify({ webhook: w.id, at: a.started_at, status: a.status_code, error: a.error, answer: a.excerpt })),
    );
    const text = failures.length ? `${lines.join('\n')}\n${untrusted('Recent failures, one JSON object per line (answers come from the receivers).', failures.join('\n'))}` : lines.join('\n');
    return { text, structured: list };
  },
});
