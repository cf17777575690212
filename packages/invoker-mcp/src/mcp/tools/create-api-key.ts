import { join } from 'node:path';
import { z } from 'zod';
import { KeyNameSchema } from '../../contract/account.js';
import { writeSecretFile } from '../../auth/credentials.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

/** Where a new key is written: the config dir, never the conversation. */
export function keyFilePath(configDir: string, keyId: string): string {
  return join(configDir, 'keys', `${keyId}.key`);
}

export const createApiKeyTool = defineTool({
  name: 'create_api_key',
  title: 'Create an API key',
  toolset: 'keys',
  description:
    'Create a named API key (for CI, another machine), saved to a file only the user can read, never shown in ' +
    'the chat.',
  inputSchema: z.object({ name: KeyNameSchema, org: orgInput }),
  outputSchema: z.object({ id: z.string(), name: z.string(), preview: z.string(), created_at: z.string(), file: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ name, org }, ctx) {
    const api = await ctx.api();
    const created = await api.createApiKey(name, org);
    const file = keyFilePath(ctx.config.configDir, created.id);
    await writeSecretFile(file, `${created.key}\n`);
    return {
      text: `Created API key "${created.name}" (${created.id}, ${created.preview}). The key was saved to ${file} (readable only by you); it will not be shown again.`,
      structured: { id: created.id, name: created.name, preview: created.preview, created_at: created.created_at, file },
    };
  },
});
