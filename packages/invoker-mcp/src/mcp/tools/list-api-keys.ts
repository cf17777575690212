import { z } from 'zod';
import { ApiKeySchema } from '../../contract/account.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

export const listApiKeysTool = defineTool({
  name: 'list_api_keys',
  title: 'List API keys',
  toolset: 'keys',
  description:
    'The org\'s API keys (id, name, preview, created, last used); full keys are never shown.',
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
