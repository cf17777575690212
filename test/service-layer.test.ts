// The rules live in the services (STYLE.md): the platform's server/ is transport only. Read with the
// TypeScript compiler, no file of server/ but main.ts (which opens the store and hands it to the
// services) imports the store or reaches for one (`x.store`, `store.…`), and the API routes and the
// dashboard handlers share no run of 10 lines: where they did the same thing, they now call the
// same service.
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readText, ROOT, tsFiles } from './helpers/source.js';

const SERVER = join(ROOT, 'packages', 'platform', 'src', 'server');
/** The one file of server/ that may hold a store: it opens it and builds the deps. */
const WIRING = new Set(['main.ts']);

const surfaces = tsFiles(SERVER).filter((f) => !f.endsWith('.test.ts') && !WIRING.has(relative(SERVER, f)));

/** Each place a file imports the store or touches a store, as `file:line what`. */
function storeUses(file: string): string[] {
  const text = readText(file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const where = (node: ts.Node) => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const found: string[] = [];
  for (const spec of ts.preProcessFile(text, true, true).importedFiles) {
    if (/(^|\/)store\//.test(spec.fileName)) found.push(`${relative(ROOT, file)} imports ${spec.fileName}`);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'store') found.push(`${where(node)} ${node.getText()}`);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'store') found.push(`${where(node)} ${node.getText()}`);
    if (ts.isBindingElement(node) && (node.propertyName ?? node.name).getText() === 'store') found.push(`${where(node)} destructures store`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every run of `size` consecutive non-blank lines (trimmed) of the files, with where it starts. */
function runs(files: string[], size: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    const lines = readText(file)
      .split('\n')
      .map((line, i) => ({ text: line.trim(), at: i + 1 }))
      .filter((l) => l.text !== '' && !l.text.startsWith('//') && !l.text.startsWith('*') && !l.text.startsWith('/*'));
    for (let i = 0; i + size <= lines.length; i++) {
      out.set(lines.slice(i, i + size).map((l) => l.text).join('\n'), `${relative(ROOT, file)}:${lines[i]!.at}`);
    }
  }
  return out;
}

describe('server/ is transport only', () => {
  it('reads the surfaces: the API routes, the dashboard, the node:http lane, the in-process API', () => {
    const names = surfaces.map((f) => relative(SERVER, f));
    for (const name of ['app.ts', 'node-lane.ts', 'in-process-api.ts', 'routes/deploy.ts', 'routes/auth.ts', 'dashboard/routes.ts', 'dashboard/sign-in.ts']) {
      expect(names).toContain(name);
    }
  });

  it('has no store import and no store call outside main.ts', () => {
    expect(surfaces.flatMap(storeUses)).toEqual([]);
  });

  it('finds a store call where there is one', () => {
    const planted = join(ROOT, 'packages', 'platform', 'src', 'server', 'main.ts');
    expect(storeUses(planted).length).toBeGreaterThan(0);
  });

  it('shares no run of 10 lines between the API routes and the dashboard handlers', () => {
    const inRoutes = runs(tsFiles(join(SERVER, 'routes')).filter((f) => !f.endsWith('.test.ts')), 10);
    const shared = [...runs(tsFiles(join(SERVER, 'dashboard')), 10)].filter(([run]) => inRoutes.has(run)).map(([run, at]) => `${at} ~ ${inRoutes.get(run)}`);
    expect(shared).toEqual([]);
  });
});
