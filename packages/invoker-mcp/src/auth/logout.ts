// Logging out (SPEC section 3): revoke the stored key on the server that issued it, then delete the
// credentials file and any sign-in still pending for this API URL. A corrupt file is simply deleted (logging out is its fix); a server that cannot
// be reached does not keep the file alive, but the result says the key may still work.
import { ApiClient, type HttpSend } from '../client/api-client.js';
import type { ClientConfig } from '../config.js';
import { isAppError, toAppError } from '../errors.js';
import { credentialsPath, readCredentials, removeCredentials, type Credentials } from './credentials.js';
import { clearPendingLogin } from './pending-login.js';

export interface LogoutResult {
  file: string;
  removed: boolean;
  email: string | null;
  /** revoked: the server refused the key from now on; failed: it could not be asked (see message). */
  revocation: 'revoked' | 'already_invalid' | 'failed' | 'not_attempted';
  revokeError?: string;
  /** INVOKER_API_KEY stays in force after logout; the caller says so. */
  envKeySet: boolean;
}

export async function logOut(config: ClientConfig, options: { userAgent: string; send?: HttpSend }): Promise<LogoutResult> {
  const file = credentialsPath(config.configDir);
  let credentials: Credentials | null = null;
  try {
    credentials = await readCredentials(config.configDir);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'config') throw e;
  }
  let revocation: LogoutResult['revocation'] = 'not_attempted';
  let revokeError: string | undefined;
  if (credentials) {
    // The key goes only to the server that issued it.
    const api = new ApiClient({
      apiUrl: credentials.api_url,
      apiKey: credentials.api_key,
      userAgent: options.userAgent,
      maxRetries: 0,
      ...(options.send ? { send: options.send } : {}),
    });
    try {
      await api.call('POST', '/auth/logout');
      revocation = 'revoked';
    } catch (e) {
      const error = toAppError(e);
      if (error.code === 'unauthenticated') revocation = 'already_invalid';
      else {
        revocation = 'failed';
        revokeError = error.message;
      }
    }
  }
  const removed = await removeCredentials(config.configDir);
  // A sign-in still waiting in the browser must not log the person back in after they logged out.
  await clearPendingLogin(config.configDir, config.apiUrl);
  return {
    file,
    removed,
    email: credentials?.email ?? null,
    revocation,
    ...(revokeError ? { revokeError } : {}),
    envKeySet: Boolean(config.envApiKey),
  };
}

/** One paragraph for a person: what happened and what, if anything, to do next. */
export function describeLogout(r: LogoutResult): string {
  const parts: string[] = [];
  if (r.removed) parts.push(`Logged out${r.email ? ` ${r.email}` : ''}: deleted ${r.file}.`);
  else parts.push(`No saved login to remove (${r.file} does not exist).`);
  if (r.revocation === 'revoked') parts.push('The key was revoked on the server.');
  if (r.revocation === 'failed') {
    parts.push(`The key could not be revoked on the server (${r.revokeError}); revoke it in the dashboard or with \`invoker-mcp keys revoke\`.`);
  }
  if (r.envKeySet) parts.push('INVOKER_API_KEY is still set in the environment and stays in use: remove it from the configuration to log out fully.');
  return parts.join(' ');
}
