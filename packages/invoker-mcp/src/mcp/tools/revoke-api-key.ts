import { z } from 'zod';
import { AppError } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const revokeApiKeyTool = defineTool({
  name: 'revoke_api_key',
  title: 'Revoke an API key',
  toolset: 'keys',
  description:
    'Revoke an API key. Without confirm: true it only describes the key, to check with the user.',
  inputSchema: z.object({
    id: z.string().describe('Key id (key_…)'),
    confirm: z.boolean().optional().describe('true to revoke; else only describe'),
    org: orgInput,
  }),
  outputSchema: z.object({ id: z.string(), revoked: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler({ id, confirm, org }, ctx) {
    const api = await ctx.api();
    const { keys } = await api.listApiKeys(org);
    const key = keys.find((k) => k.id === id);
    if (!key) throw new AppError('not_found', `No live API key ${id} in this organization. Call list_api_keys to see the ids.`);
    const me = await api.me();
    const isCurrent = me.key.id === id;
    const warning = isCurrent ? ' This is the key these tools are using right now: after revoking it, log in again or set a new INVOKER_API_KEY.' : '';
    if (!confirm) {
      return {
        text: `Would revoke API key "${key.name}" (${key.id}, ${key.preview}), last used ${key.last_used_at ?? 'never'}.${warning} To proceed, call revoke_api_key again with confirm: true.`,
        structured: { id, revoked: false },
      };
    }
    await api.revokeApiKey(id, org);
    return { text: `Revoked API key "${key.name}" (${key.id}, ${key.preview}).${warning}`, structured: { id, revoked: true } };
  },
});
