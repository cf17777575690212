// Bearer-key authentication: the Authorization header read here, the key checked by the keys service.
import type { MiddlewareHandler } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import type { KeyPrincipal, KeysService } from '../services/keys.js';
import type { AppEnv } from './context.js';

export function requireKey(keys: KeysService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticate(keys, c.req.header('authorization'));
    c.set('principal', principal);
    c.set('org', principal.org);
    c.set('orgId', principal.org.id);
    await next();
  };
}

/** The principal behind an Authorization header, or the AppError that says what to do instead. */
export async function authenticate(keys: KeysService, header: string | undefined): Promise<KeyPrincipal> {
  if (!header) {
    throw new AppError('unauthenticated', 'Missing API key. Send "Authorization: Bearer inv_…" (create a key with `invoker-mcp login`).');
  }
  // Anything but one bearer token is no key at all: the service refuses it before any lookup.
  return keys.authenticate(/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '');
}
