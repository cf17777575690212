import { z } from 'zod';
import { ApiKeySchema } from '../../contract/account.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const listApiKeysTool = defineTool({
  name: 'list_api_keys',
  title: 'List API keys',
  toolset: 'keys',
  description:
    'List the live API keys of an organization: id, name, preview (inv_… and the last 4 characters), when each was ' +
    'created and last used. Full keys are never shown again after creation. Use the id with revoke_api_key.',
  inputSchema: z.object({ org: orgInput }),
  outputSchema: z.object({ keys: z.array(ApiKeySchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ org }, ctx) {
    const api = await ctx.api();
    const { keys } = await api.listApiKeys(org);
    const lines = keys.map((k) => `- ${k.id} "${k.name}" ${k.preview}, created ${k.created_at}, last used ${k.last_used_at ?? 'never'}`);
    return { text: keys.length ? `${keys.length} API key(s):\n${lines.join('\n')}` : 'No API keys.', structured: { keys } };
  },
});
