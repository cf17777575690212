import { z } from 'zod';
import { describeLogout, logOut } from '../../auth/logout.js';
import { defineTool } from '../define-tool.js';

export const logoutTool = defineTool({
  name: 'logout',
  title: 'Log out',
  toolset: 'auth',
  stdioOnly: true,
  description:
    'Sign out: revoke the saved key, delete the credentials file (then login to switch accounts).',
  inputSchema: z.object({}),
  outputSchema: z.object({
    removed: z.boolean(),
    revocation: z.enum(['revoked', 'already_invalid', 'failed', 'not_attempted']),
    credentials_file: z.string(),
    env_key_set: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(_args, ctx) {
    ctx.login?.cancel();
    const result = await logOut(ctx.config, { userAgent: 'invoker-mcp (mcp logout)' });
    return {
      text: describeLogout(result),
      structured: { removed: result.removed, revocation: result.revocation, credentials_file: result.file, env_key_set: result.envKeySet },
    };
  },
});
