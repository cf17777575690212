// Which tools a server exposes (INVOKER_TOOLSETS, INVOKER_READ_ONLY). Kept free of the SDK and zod:
// the stdio front answers tools/list from the build-time manifest with this same rule.
import type { Env } from '../config.js';

export const TOOLSETS = ['auth', 'sites', 'forms', 'content', 'keys', 'orgs'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export interface ToolFilter {
  /** Expose only these toolsets; undefined means all. */
  toolsets?: ReadonlySet<Toolset> | undefined;
  /** Expose only read-only tools (plus login and whoami). */
  readOnly?: boolean | undefined;
}

const ALWAYS_AVAILABLE = new Set(['login', 'whoami']);

export function isToolSelected(tool: { name: string; toolset: Toolset; readOnly: boolean }, filter: ToolFilter): boolean {
  if (filter.toolsets && !filter.toolsets.has(tool.toolset)) return false;
  if (filter.readOnly && !tool.readOnly && !ALWAYS_AVAILABLE.has(tool.name)) return false;
  return true;
}

/** The filter the environment asks for; unknown toolset names are reported on stderr and ignored. */
export function toolFilterFromEnv(env: Env, warn: (message: string) => void): ToolFilter {
  const raw = env.INVOKER_TOOLSETS?.trim();
  let toolsets: Set<Toolset> | undefined;
  if (raw && raw !== 'all') {
    const wanted = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const known = (s: string): s is Toolset => (TOOLSETS as readonly string[]).includes(s);
    const unknown = wanted.filter((s) => !known(s));
    if (unknown.length) warn(`ignoring unknown INVOKER_TOOLSETS entries: ${unknown.join(', ')} (known: ${TOOLSETS.join(', ')})`);
    toolsets = new Set(wanted.filter(known));
  }
  return { toolsets, readOnly: env.INVOKER_READ_ONLY === '1' };
}
