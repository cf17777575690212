// Bearer-key authentication. A malformed or bad-checksum key is refused before any store lookup;
// a well-formed one is looked up by its SHA-256 hash, never compared in plaintext.
import type { MiddlewareHandler } from 'hono';
import { AppError } from 'invoker-mcp/errors.js';
import { hashApiKey, isWellFormedApiKey } from 'invoker-mcp/contract/api-key.js';
import type { KeyPrincipal } from '../store/store.js';
import type { AppDeps, AppEnv } from './context.js';

/** last_used_at is a hint for people, not an audit log: write it at most once a minute per key. */
const TOUCH_INTERVAL_MS = 60_000;

export function requireKey(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticate(deps, c.req.header('authorization'));
    c.set('principal', principal);
    c.set('org', principal.org);
    c.set('orgId', principal.org.id);
    await next();
  };
}

/** The principal behind an Authorization header, or the AppError that says what to do instead. */
export async function authenticate(deps: Pick<AppDeps, 'store' | 'now'>, header: string | undefined): Promise<KeyPrincipal> {
  if (!header) {
    throw new AppError('unauthenticated', 'Missing API key. Send "Authorization: Bearer inv_…" (create a key with `invoker-mcp login`).');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = match?.[1];
  if (!key || !isWellFormedApiKey(key)) {
    throw new AppError('unauthenticated', 'Invalid API key: it is not an Invoker key (inv_…). Check for a copy-paste error, or create a new key.');
  }
  const principal = await deps.store.findPrincipalByKeyHash(hashApiKey(key));
  if (!principal) {
    throw new AppError('unauthenticated', 'Invalid or revoked API key. Log in again (`invoker-mcp login`) or create a new key.');
  }
  const now = deps.now();
  const last = principal.key.lastUsedAt ? Date.parse(principal.key.lastUsedAt) : 0;
  if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
    await deps.store.touchApiKey(principal.key.id, now.toISOString());
  }
  return principal;
}
