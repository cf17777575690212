import { z } from 'zod';
import { defineTool } from '../define-tool.js';

const sourceLabel = { environment: 'the INVOKER_API_KEY environment variable', file: 'the credentials file' } as const;

export const whoamiTool = defineTool({
  name: 'whoami',
  title: 'Who am I',
  toolset: 'auth',
  description:
    'The account, org and key the tools act as, and where the key came from.',
  inputSchema: z.object({}),
  outputSchema: z.object({
    email: z.string(),
    user_id: z.string(),
    org: z.object({ id: z.string(), name: z.string(), parent_id: z.string().nullable() }),
    key: z.object({ id: z.string(), name: z.string(), preview: z.string() }),
    key_source: z.enum(['environment', 'file']),
    api_url: z.string(),
  }),
  // Its text says all of it; listing the shape cost 400 bytes of every tools/list (tool-budget.test.ts).
  outputListed: false,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(_args, ctx) {
    const api = await ctx.api();
    const resolved = await ctx.currentKey();
    const me = await api.me();
    const source = resolved?.source ?? 'environment';
    return {
      text:
        `Logged in as ${me.user.email} in organization "${me.org.name}" (${me.org.id}) at ${ctx.config.apiUrl}. ` +
        `Key ${me.key.preview} ("${me.key.name}") from ${sourceLabel[source]}${resolved?.file ? ` (${resolved.file})` : ''}.`,
      structured: {
        email: me.user.email,
        user_id: me.user.id,
        org: { id: me.org.id, name: me.org.name, parent_id: me.org.parent_id },
        key: me.key,
        key_source: source,
        api_url: ctx.config.apiUrl,
      },
    };
  },
});
