// Builds the ToolContext the tools run with: the client configuration, the key resolved per call
// (so a key saved by login, or a changed credentials file, is picked up without a restart), the API
// client, the reader of local site folders, and the process's one login flow: a tool that needs a
// key and finds none starts (or resumes) the browser login and says how to finish it.
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { resolveApiKey } from '../auth/resolve-key.js';
import { deployAnonymously } from '../auth/claims.js';
import type { LoginFlow } from '../auth/login-flow.js';
import type { ToolContext } from './define-tool.js';
import { pendingLoginText } from './login-text.js';

export const NOT_LOGGED_IN =
  'Not logged in: call the login tool to sign in with your email, or set INVOKER_API_KEY in this server\'s environment.';

export function createToolContext(
  config: ClientConfig,
  options: { userAgent: string; send?: HttpSend; login?: LoginFlow },
): ToolContext {
  return {
    config,
    currentKey: () => resolveApiKey(config),
    // The user's own disk: this context is the stdio server's (the remote endpoint builds its own).
    readLocalSite: async (path) => {
      const { readSite } = await import('../client/read-site.js');
      return readSite(path, undefined, config.localLimits);
    },
    ...(options.login ? { login: options.login } : {}),
    // Kept for the next login, which claims it (auth/claims.ts).
    deployAnonymously: (body) => deployAnonymously({ configDir: config.configDir, apiUrl: config.apiUrl, userAgent: options.userAgent, send: options.send }, body),
    async api() {
      const resolved = await resolveApiKey(config);
      if (!resolved) {
        if (!options.login) throw new AppError('unauthenticated', NOT_LOGGED_IN);
        let prompt;
        try {
          prompt = await options.login.start();
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          throw new AppError('unauthenticated', `${NOT_LOGGED_IN} (Starting the browser sign-in failed: ${reason})`);
        }
        throw new AppError(
          'unauthenticated',
          'Not logged in to Invoker. ' +
            pendingLoginText(prompt, 'Finish signing in, then call this tool again (the login tool reports when it is done). ') +
            "Alternatively, set INVOKER_API_KEY in this server's environment.",
        );
      }
      const clientOptions = {
        apiUrl: config.apiUrl,
        apiKey: resolved.key,
        keySource: resolved.source,
        userAgent: options.userAgent,
        ...(options.send ? { send: options.send } : {}),
      };
      const login = options.login;
      if (resolved.source !== 'file' || !login) return new ApiClient(clientOptions);
      return new SignInOnRevokedClient(clientOptions, login);
    },
  };
}

/**
 * A saved key the server no longer accepts (revoked, or the account's data reset) is the same as no
 * key: the answer starts the browser sign-in. An INVOKER_API_KEY is never replaced this way.
 */
class SignInOnRevokedClient extends ApiClient {
  constructor(
    options: ConstructorParameters<typeof ApiClient>[0],
    private readonly login: LoginFlow,
  ) {
    super(options);
  }

  override async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    try {
      return await super.call<T>(method, path, body, auth);
    } catch (e) {
      if (!auth || !isAppError(e) || e.code !== 'unauthenticated') throw e;
      const prompt = await this.login.start().catch(() => null);
      if (!prompt) throw e;
      throw new AppError(
        'unauthenticated',
        'The saved Invoker key no longer works (it was revoked). ' +
          pendingLoginText(prompt, 'Finish signing in, then call this tool again. '),
      );
    }
  }
}

