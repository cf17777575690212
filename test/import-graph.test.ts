// The import graph of src/, read with the TypeScript compiler (static, type-only and dynamic
// imports alike): dependencies point inward as STYLE.md's house picture says. Each folder imports
// only what its row below allows; nothing imports cli.ts, only cli.ts imports server/main.ts;
// nothing in src/ imports a file outside it (test/, bench/, scripts/); no import circle.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readText, ROOT, tsFiles } from './helpers/source.js';

const SRC = join(ROOT, 'src');

/**
 * What each part of src/ may import besides itself and packages: a folder (`store/`) or a file at
 * the top (`errors.ts`). A new folder gets a row here, saying where it stands.
 */
const MAY_IMPORT: Record<string, string[]> = {
  'errors.ts': [],
  'rate-limiter.ts': [],
  'logger.ts': [],
  'atomic-file.ts': ['errors.ts'],
  'version.ts': ['errors.ts'],
  'config.ts': ['errors.ts'],
  'contract/': ['errors.ts'],
  'content/': ['errors.ts'],
  'client/': ['errors.ts', 'contract/'],
  // The store knows nothing of those who call it.
  'store/': ['errors.ts', 'contract/', 'rate-limiter.ts', 'logger.ts'],
  // STYLE.md's product rules, once they move out of server/: store/ (the interface), contract/, errors.
  'services/': ['errors.ts', 'contract/', 'store/', 'rate-limiter.ts', 'logger.ts'],
  'auth/': ['errors.ts', 'contract/', 'client/', 'config.ts', 'atomic-file.ts'],
  'install/': ['errors.ts', 'atomic-file.ts'],
  'server/': ['errors.ts', 'contract/', 'store/', 'services/', 'rate-limiter.ts', 'logger.ts', 'config.ts', 'version.ts'],
  'mcp/': ['errors.ts', 'contract/', 'content/', 'client/', 'auth/', 'services/', 'config.ts', 'version.ts'],
  // The one entry point: it builds the real dependencies of every command.
  'cli.ts': ['*'],
};

/**
 * Circles there today, each a sorted list of files. The list only shrinks: a new circle fails, and
 * so does one listed here that is gone (take it off the list).
 */
const KNOWN_CIRCLES: string[][] = [];

/** src/-relative path → the src/-relative paths (or paths outside src/, with ../) it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(SRC)) {
    const imports = ts.preProcessFile(readText(file), true, true).importedFiles.map((i) => i.fileName);
    const local = imports.filter((spec) => spec.startsWith('.')).map((spec) => relative(SRC, resolveSpecifier(file, spec)));
    graph.set(relative(SRC, file), local);
  }
  return graph;
}

/** `./x.js` → x.ts (NodeNext specifiers name the emitted file), a folder → its index.ts. */
function resolveSpecifier(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, join(target, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return target;
}

/**
 * The part of src/ a path belongs to: its first folder (`store/`) or the top-level file itself; a
 * unit test beside a top-level file (`config.test.ts`) belongs to that file's part.
 */
function part(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? path.replace(/\.test\.ts$/, '.ts') : path.slice(0, slash + 1);
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
    expect(edges).toContainEqual({ from: 'cli.ts', to: 'server/main.ts' }); // await import('./server/main.js')
    expect(edges).toContainEqual({ from: 'server/context.ts', to: 'server/mailer.ts' }); // import type
    expect(new Set([...graph.keys()].map(part))).toEqual(new Set(Object.keys(MAY_IMPORT).filter((p) => existsSync(join(SRC, p)))));
  });

  it('points inward: each part imports only what its row allows', () => {
    const upward = edges
      .filter(({ from, to }) => !to.startsWith('..') && part(from) !== part(to))
      .filter(({ from, to }) => {
        const allowed = MAY_IMPORT[part(from)] ?? [];
        return !allowed.includes('*') && !allowed.includes(part(to));
      });
    expect(upward).toEqual([]);
  });

  it('has the entry points at the top: nothing imports cli.ts, only cli.ts imports server/main.ts', () => {
    expect(edges.filter(({ to }) => to === 'cli.ts')).toEqual([]);
    expect(edges.filter(({ from, to }) => to === 'server/main.ts' && from !== 'cli.ts')).toEqual([]);
  });

  it('imports nothing from outside src/ (test/ helpers, benchmarks, scripts)', () => {
    expect(edges.filter(({ to }) => to.startsWith('..'))).toEqual([]);
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
