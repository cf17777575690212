// Builds the ToolContext the tools run with: the client configuration, the key resolved per call
// (so a key saved by login, or a changed credentials file, is picked up without a restart) and the
// API client.
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { AppError } from '../errors.js';
import { resolveApiKey } from '../auth/resolve-key.js';
import type { ToolContext } from './define-tool.js';

export const NOT_LOGGED_IN =
  'Not logged in: call the login tool to sign in with your email, or set INVOKER_API_KEY in this server\'s environment.';

export function createToolContext(config: ClientConfig, options: { userAgent: string; send?: HttpSend }): ToolContext {
  return {
    config,
    currentKey: () => resolveApiKey(config),
    async api() {
      const resolved = await resolveApiKey(config);
      if (!resolved) throw new AppError('unauthenticated', NOT_LOGGED_IN);
      return new ApiClient({
        apiUrl: config.apiUrl,
        apiKey: resolved.key,
        userAgent: options.userAgent,
        ...(options.send ? { send: options.send } : {}),
      });
    },
  };
}
