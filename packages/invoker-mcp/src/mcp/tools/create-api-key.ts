import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { KeyNameSchema } from '../../contract/account.js';
import { writeSecretFile } from '../../auth/credentials.js';
import { defineTool } from '../define-tool.js';
import { orgInput } from './org-input.js';

/** The input request that sends the person to the dashboard (remote, 2026-07-28). */
const HAND_OVER = 'create_key';

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
  // No file on the remote endpoint: the person holds the key, made on the dashboard.
  outputSchema: z.object({ id: z.string(), name: z.string(), preview: z.string(), created_at: z.string(), file: z.string().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ name, org }, ctx) {
    if (ctx.remote) {
      // A remote tool never puts a key in the conversation: the dashboard shows it to the person,
      // reached by URL-mode elicitation where the client takes it, else by a link in the refusal.
      const page = `${ctx.remote.dashboardUrl}/keys?name=${encodeURIComponent(name)}`;
      const answer = ctx.urlInput?.answer(HAND_OVER);
      if (ctx.urlInput && answer === undefined) {
        return { text: `Asked the person to create the key on ${page}.`, askUrl: { key: HAND_OVER, url: page, message: `Create the API key "${name}" in the Invoker dashboard. The key is shown to you there, never to the assistant.` } };
      }
      if (answer === 'accept') {
        const { keys } = await (await ctx.api()).listApiKeys(org);
        const made = keys.filter((k) => k.name === name).sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
        if (!made) throw new AppError('not_found', `No key named "${name}" was created yet. The person can create it at ${page}.`);
        return {
          text: `The person created API key "${made.name}" (${made.id}, ${made.preview}) in the dashboard and holds it; it is never shown here.`,
          structured: { id: made.id, name: made.name, preview: made.preview, created_at: made.created_at },
        };
      }
      throw new AppError('forbidden', `A remote connection cannot hand over a new key. Create it in the dashboard: ${page}`);
    }
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
