// Which tools a server lists: the toolsets of SPEC section 12, the read-only switch, and (for the
// remote /mcp endpoint) the granted OAuth scopes of section 11. The one home of that rule: the full
// server (catalog.ts), the build-time manifest and the stdio front (stdio.ts) all call isListed().
// Kept free of the SDK and zod: the front runs before either is loaded.
import type { Env } from '../config.js';

/** Every toolset, in the order enable_toolset names them; `true` marks those on by default. */
const TOOLSET_DEFAULTS = {
  auth: true,
  sites: true,
  forms: true,
  content: true,
  keys: false,
  orgs: false,
  webhooks: false,
  domains: false,
  extras: false,
} as const;

export type Toolset = keyof typeof TOOLSET_DEFAULTS;
export const TOOLSETS = Object.keys(TOOLSET_DEFAULTS) as Toolset[];
export const DEFAULT_TOOLSETS: readonly Toolset[] = TOOLSETS.filter((t) => TOOLSET_DEFAULTS[t]);

export function isToolset(name: string): name is Toolset {
  return Object.hasOwn(TOOLSET_DEFAULTS, name);
}

/** The OAuth scopes a remote grant holds (SPEC section 11), each a set of tools. */
export const SCOPES = ['read', 'deploy', 'forms', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The stdio tool that turns a toolset on; listed on stdio while some toolset is off. */
export const ENABLE_TOOLSET = 'enable_toolset';

/** What the rule needs to know of a tool (the manifest records exactly this for each one). */
export interface ToolFacts {
  name: string;
  /** null: the server's own tool (enable_toolset), in no toolset. */
  toolset: Toolset | null;
  readOnly: boolean;
  /** Only on the user's machine (login, logout): never listed by the remote endpoint. */
  stdioOnly?: boolean;
}

/** What a server lists. */
export interface Selection {
  surface: 'stdio' | 'remote';
  toolsets: ReadonlySet<Toolset>;
  /** INVOKER_READ_ONLY: only read-only tools (plus login and whoami). */
  readOnly?: boolean;
  /** Remote only: the grant's scopes; tools outside them are neither listed nor callable. */
  scopes?: ReadonlySet<Scope>;
}

const ALWAYS_AVAILABLE = new Set(['login', 'whoami']);

/**
 * The scope a tool needs on the remote endpoint: read-only tools are `read`; writes are `deploy`
 * (sites, extras), `forms` (forms, webhooks) or `admin` (keys, orgs, domains).
 */
export function scopeOf(tool: ToolFacts): Scope {
  if (tool.readOnly) return 'read';
  switch (tool.toolset) {
    case 'forms':
    case 'webhooks':
      return 'forms';
    case 'keys':
    case 'orgs':
    case 'domains':
      return 'admin';
    default:
      return 'deploy';
  }
}

export function isListed(tool: ToolFacts, selection: Selection): boolean {
  if (tool.toolset === null) return tool.name === ENABLE_TOOLSET && selection.surface === 'stdio' && TOOLSETS.some((t) => !selection.toolsets.has(t));
  if (!selection.toolsets.has(tool.toolset)) return false;
  if (selection.readOnly && !tool.readOnly && !ALWAYS_AVAILABLE.has(tool.name)) return false;
  if (selection.surface === 'remote') return !tool.stdioOnly && (selection.scopes ?? new Set<Scope>()).has(scopeOf(tool));
  return true;
}

/**
 * Whether org-acting tools list their `org` argument (a sub-org id): while the orgs toolset, which
 * shows the sub-orgs, is on. Without it a model has no sub-org id to pass, so the argument is noise.
 */
export function listsOrg(selection: Selection): boolean {
  return selection.toolsets.has('orgs');
}

/**
 * The toolsets INVOKER_TOOLSETS names: a comma list, where `all` means every toolset and `default`
 * the default ones. Unset, empty, or naming nothing known: the defaults. Unknown names are
 * reported through `warn` and ignored.
 */
export function toolsetsFromEnv(raw: string | undefined, warn: (message: string) => void): Set<Toolset> {
  const wanted = (raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const chosen = new Set<Toolset>();
  const unknown: string[] = [];
  for (const name of wanted) {
    if (name === 'all') TOOLSETS.forEach((t) => chosen.add(t));
    else if (name === 'default') DEFAULT_TOOLSETS.forEach((t) => chosen.add(t));
    else if (isToolset(name)) chosen.add(name);
    else unknown.push(name);
  }
  if (unknown.length) warn(`ignoring unknown INVOKER_TOOLSETS entries: ${unknown.join(', ')} (known: ${TOOLSETS.join(', ')}, all, default)`);
  if (chosen.size === 0) {
    if (wanted.length) warn(`INVOKER_TOOLSETS names no known toolset: using the defaults (${DEFAULT_TOOLSETS.join(', ')})`);
    return new Set(DEFAULT_TOOLSETS);
  }
  return chosen;
}

/** What a stdio server lists at start, from INVOKER_TOOLSETS and INVOKER_READ_ONLY. */
export function selectionFromEnv(env: Env, warn: (message: string) => void): Selection {
  return { surface: 'stdio', toolsets: toolsetsFromEnv(env.INVOKER_TOOLSETS, warn), readOnly: env.INVOKER_READ_ONLY === '1' };
}

/**
 * What the remote /mcp endpoint lists for a grant: the tools of the granted scopes (SPEC section
 * 11), from every toolset unless the endpoint narrows them as INVOKER_TOOLSETS does on stdio.
 */
export function remoteSelection(scopes: Iterable<Scope>, toolsets: Iterable<Toolset> = TOOLSETS): Selection {
  return { surface: 'remote', toolsets: new Set(toolsets), scopes: new Set(scopes) };
}
