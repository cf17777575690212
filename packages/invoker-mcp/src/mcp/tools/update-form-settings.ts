import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';
import { siteId } from './site-input.js';

// Compact on purpose (it is listed by default): the API checks each value with the contract's schema.
export const updateFormSettingsTool = defineTool({
  name: 'update_form_settings',
  title: 'Form settings',
  toolset: 'forms',
  description: "Set a site's form options; unset ones stay.",
  inputSchema: z.object({
    deployment_id: siteId,
    notify: z.boolean().optional().describe('Mail the owner'),
    notify_emails: z.array(z.string()).optional().describe('Also mail (they confirm)'),
    accept_uploads: z.boolean().optional().describe('Keep files'),
    form_protection: z.enum(['none', 'pow']).optional().describe('pow: proof of work'),
    retention_days: z.number().int().optional().describe('Days kept; 0: all'),
    org: orgInput,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ deployment_id, org, retention_days, ...settings }, ctx) {
    const api = await ctx.api();
    const retention = retention_days === undefined ? {} : { retention_days: retention_days === 0 ? null : retention_days };
    const s = await api.updateFormSettings(deployment_id, { ...settings, ...retention }, org);
    const pending = s.unconfirmed_emails.length ? ` Waiting for confirmation: ${s.unconfirmed_emails.join(', ')}.` : '';
    return {
      text:
        `Form settings of ${deployment_id}: mail ${s.notify ? `on (${['owner', ...s.notify_emails].join(', ')})` : 'off'}, uploads ${s.accept_uploads ? 'on' : 'off'}, ` +
        `protection ${s.form_protection}, retention ${s.retention_days === null ? 'none' : `${s.retention_days} days`}.${pending}`,
    };
  },
});
