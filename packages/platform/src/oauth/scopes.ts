// The scopes a grant holds (SPEC section 11), each a set of tools (toolsets.ts scopeOf). A request
// naming no scope gets `read deploy`; an unknown one is invalid_scope. Stored and printed in SCOPES
// order, space-separated, as RFC 6749 §3.3 writes them.
import { SCOPES, type Scope } from 'invoker-mcp/mcp/toolsets.js';
import { oauthError } from './errors.js';

export { SCOPES, type Scope };

export const DEFAULT_SCOPES: readonly Scope[] = ['read', 'deploy'];

/** What each scope lets a client do, in the consent page's words. */
export const SCOPE_WORDS: Record<Scope, string> = {
  read: 'See your sites, their versions and form submissions',
  deploy: 'Create, update, publish and delete sites',
  forms: 'Delete submissions and change form settings and webhooks',
  admin: 'Manage API keys, organizations and domains',
};

export function isScope(name: string): name is Scope {
  return (SCOPES as readonly string[]).includes(name);
}

/** A `scope` parameter as the scopes it names; empty or absent: the default. */
export function parseScopes(raw: string | undefined | null): Scope[] {
  const names = (raw ?? '').split(' ').filter(Boolean);
  if (names.length === 0) return [...DEFAULT_SCOPES];
  const unknown = names.filter((n) => !isScope(n));
  if (unknown.length) throw oauthError('invalid_scope', `Unknown scope ${JSON.stringify(unknown[0]!.slice(0, 40))}: this server offers ${SCOPES.join(', ')}.`);
  return orderScopes(names as Scope[]);
}

export function orderScopes(scopes: Iterable<Scope>): Scope[] {
  const set = new Set(scopes);
  return SCOPES.filter((s) => set.has(s));
}

export function scopesText(scopes: Iterable<Scope>): string {
  return orderScopes(scopes).join(' ');
}

/** A stored scope string (always written by scopesText) back as scopes. */
export function storedScopes(text: string): Scope[] {
  return orderScopes(text.split(' ').filter(isScope));
}
