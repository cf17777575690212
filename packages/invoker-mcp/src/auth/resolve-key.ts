// Which API key a client command uses, and where it came from (SPEC section 3):
// INVOKER_API_KEY > credentials.json (only when issued by the same API URL) > none.
import { AppError } from '../errors.js';
import { isWellFormedApiKey } from '../contract/api-key.js';
import type { ClientConfig } from '../config.js';
import { credentialsPath, readCredentials } from './credentials.js';

export type KeySource = 'environment' | 'file';

export interface ResolvedKey {
  key: string;
  source: KeySource;
  /** The credentials file, when the key came from it. */
  file?: string;
  email?: string;
}

export async function resolveApiKey(config: ClientConfig): Promise<ResolvedKey | null> {
  if (config.envApiKey) {
    if (!isWellFormedApiKey(config.envApiKey)) {
      throw new AppError(
        'config',
        'INVOKER_API_KEY is set but is not a valid Invoker key (inv_ followed by 38 letters and digits). Fix or unset it.',
      );
    }
    return { key: config.envApiKey, source: 'environment' };
  }
  const credentials = await readCredentials(config.configDir);
  // A stored key is never sent to a server it was not issued by.
  if (!credentials || credentials.api_url !== config.apiUrl) return null;
  return { key: credentials.api_key, source: 'file', file: credentialsPath(config.configDir), email: credentials.email };
}
