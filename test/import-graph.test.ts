// The import graph of both packages' src/, read with the TypeScript compiler (static, type-only and
// dynamic imports alike, and the platform's imports of invoker-mcp by name): dependencies point
// inward as STYLE.md's house picture says. Each folder imports only what its row below allows;
// invoker-mcp never imports the platform; nothing imports a cli.ts, only the platform's cli.ts
// imports server/main.ts; nothing in src/ imports a file outside it (test/, bench/, scripts/); no
// import circle.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readText, ROOT, tsFiles } from './helpers/source.js';

/** The two packages' sources; a file is named `mcp:path` or `platform:path`, from its package's src/. */
const PACKAGES = { mcp: join(ROOT, 'packages', 'invoker-mcp', 'src'), platform: join(ROOT, 'packages', 'platform', 'src') } as const;
/** How one package imports the other: by name. */
const BY_NAME: Array<[string, keyof typeof PACKAGES]> = [
  ['invoker-mcp/', 'mcp'],
  ['@invoker-mcp/platform/', 'platform'],
];

/**
 * What each part may import besides itself and npm packages: a folder (`platform:store/`) or a file
 * at the top of a package's src/ (`mcp:errors.ts`). A new folder gets a row here, saying where it
 * stands. invoker-mcp never imports the platform: `npx -y invoker-mcp` installs it alone.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'mcp:errors.ts': [],
  'mcp:atomic-file.ts': ['mcp:errors.ts'],
  'mcp:version.ts': ['mcp:errors.ts'],
  'mcp:config.ts': ['mcp:errors.ts'],
  'mcp:cli-args.ts': ['mcp:errors.ts'],
  'mcp:contract/': ['mcp:errors.ts'],
  'mcp:content/': ['mcp:errors.ts'],
  'mcp:client/': ['mcp:errors.ts', 'mcp:contract/'],
  'mcp:auth/': ['mcp:errors.ts', 'mcp:contract/', 'mcp:client/', 'mcp:config.ts', 'mcp:atomic-file.ts'],
  'mcp:install/': ['mcp:errors.ts', 'mcp:atomic-file.ts'],
  'mcp:mcp/': ['mcp:errors.ts', 'mcp:contract/', 'mcp:content/', 'mcp:client/', 'mcp:auth/', 'mcp:config.ts', 'mcp:version.ts'],
  // The package's entry point: it builds the real dependencies of every command (never the platform's).
  'mcp:cli.ts': ['mcp:*'],
  'platform:logger.ts': [],
  'platform:rate-limiter.ts': [],
  'platform:lru.ts': [],
  // Requests to addresses a tenant chose (webhooks, client metadata, domain checks): SPEC section 10.
  'platform:outbound-fetch.ts': ['mcp:errors.ts', 'platform:lru.ts'],
  // INVOKER_SECRET: what every instance must be able to verify or unseal.
  'platform:server-secret.ts': ['mcp:errors.ts', 'mcp:atomic-file.ts'],
  'platform:config.ts': ['mcp:config.ts', 'mcp:errors.ts'],
  // The store knows nothing of those who call it.
  'platform:store/': ['mcp:errors.ts', 'mcp:contract/', 'platform:rate-limiter.ts', 'platform:logger.ts', 'platform:lru.ts'],
  // STYLE.md's product rules: the store (the interface), contract/, errors, and what they are given.
  'platform:services/': [
    'mcp:errors.ts',
    'mcp:contract/',
    'platform:store/',
    'platform:rate-limiter.ts',
    'platform:logger.ts',
    'platform:config.ts',
    'platform:outbound-fetch.ts',
    'platform:server-secret.ts',
  ],
  // The OAuth authorization server's rules (SPEC section 11): like services/, plus the scope list of mcp/toolsets.ts.
  'platform:oauth/': [
    'mcp:errors.ts',
    'mcp:contract/',
    'mcp:mcp/',
    'platform:store/',
    'platform:services/',
    'platform:rate-limiter.ts',
    'platform:outbound-fetch.ts',
  ],
  'platform:server/': [
    'mcp:errors.ts',
    'mcp:contract/',
    // routes/mcp.ts: the MCP server itself, served at /mcp.
    'mcp:mcp/',
    'platform:oauth/',
    'mcp:version.ts',
    'mcp:config.ts',
    'platform:store/',
    'platform:services/',
    'platform:rate-limiter.ts',
    'platform:logger.ts',
    'platform:config.ts',
    'platform:outbound-fetch.ts',
    'platform:server-secret.ts',
  ],
  'platform:cli.ts': ['mcp:*', 'platform:*'],
};

/**
 * Circles there today, each a sorted list of files. The list only shrinks: a new circle fails, and
 * so does one listed here that is gone (take it off the list).
 */
const KNOWN_CIRCLES: string[][] = [];

/** `mcp:path` → the `mcp:`/`platform:` names it imports (or `../…` for a file outside both src/). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [pkg, src] of Object.entries(PACKAGES)) {
    for (const file of tsFiles(src)) {
      const imports = ts.preProcessFile(readText(file), true, true).importedFiles.map((i) => i.fileName);
      const local = imports.flatMap((spec) => {
        if (spec.startsWith('.')) return [nameOf(resolveSpecifier(file, spec))];
        const named = BY_NAME.find(([prefix]) => spec.startsWith(prefix));
        return named ? [nameOf(resolveSpecifier(join(PACKAGES[named[1]], 'x.ts'), `./${spec.slice(named[0].length)}`))] : [];
      });
      graph.set(nameOf(file), local);
    }
  }
  return graph;
}

/** A file's name in the graph: its package and its path in that package's src/. */
function nameOf(path: string): string {
  for (const [pkg, src] of Object.entries(PACKAGES)) {
    const inside = relative(src, path);
    if (!inside.startsWith('..')) return `${pkg}:${inside}`;
  }
  return relative(PACKAGES.mcp, path);
}

/** `./x.js` → x.ts (NodeNext specifiers name the emitted file), a folder → its index.ts. */
function resolveSpecifier(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, join(target, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return target;
}

/**
 * The part a file belongs to: its package and first folder (`platform:store/`) or the top-level file
 * itself; a unit test beside a top-level file (`config.test.ts`) belongs to that file's part.
 */
function part(name: string): string {
  const [pkg, path] = name.split(':') as [string, string];
  if (path === undefined) return name;
  const slash = path.indexOf('/');
  return `${pkg}:${slash === -1 ? path.replace(/\.test\.ts$/, '.ts') : path.slice(0, slash + 1)}`;
}

/** Whether a part's row lets it import `to`: listed, or its package's `pkg:*`. */
function allowed(from: string, to: string): boolean {
  const row = MAY_IMPORT[part(from)] ?? [];
  return row.includes(part(to)) || row.includes(`${part(to).split(':')[0]}:*`);
}

/** Strongly connected components of more than one file (or a file importing itself), each sorted. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('the import graph of src/', () => {
  const graph = importGraph();
  const edges = [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from, to })));

  it('is read whole: every part, and dynamic and type-only imports too', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'platform:cli.ts', to: 'platform:server/main.ts' }); // await import('./server/main.js')
    expect(edges).toContainEqual({ from: 'platform:server/context.ts', to: 'platform:server/mailer.ts' }); // import type
    expect(edges).toContainEqual({ from: 'platform:server/app.ts', to: 'mcp:errors.ts' }); // by name: invoker-mcp/errors.js
    const exists = (p: string) => existsSync(join(PACKAGES[p.split(':')[0] as keyof typeof PACKAGES], p.split(':')[1] as string));
    expect(new Set([...graph.keys()].map(part))).toEqual(new Set(Object.keys(MAY_IMPORT).filter(exists)));
  });

  it('points inward: each part imports only what its row allows', () => {
    const upward = edges.filter(({ from, to }) => to.includes(':') && part(from) !== part(to) && !allowed(from, to));
    expect(upward).toEqual([]);
    // The one rule that keeps `npx -y invoker-mcp` small: nothing of the MCP package imports the platform.
    expect(edges.filter(({ from, to }) => from.startsWith('mcp:') && to.startsWith('platform:'))).toEqual([]);
  });

  it("has the entry points at the top: nothing imports a cli.ts, only the platform's cli.ts imports server/main.ts", () => {
    expect(edges.filter(({ to }) => to.endsWith(':cli.ts'))).toEqual([]);
    expect(edges.filter(({ from, to }) => to === 'platform:server/main.ts' && from !== 'platform:cli.ts')).toEqual([]);
  });

  it("imports nothing from outside the packages' src/ (test/ helpers, benchmarks, scripts)", () => {
    expect(edges.filter(({ to }) => !to.includes(':'))).toEqual([]);
  });

  it('has no circle but the known ones, and every known one is still there', () => {
    expect(circles(graph)).toEqual(KNOWN_CIRCLES);
  });

  it('finds a circle where there is one', () => {
    const planted = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(circles(planted)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
