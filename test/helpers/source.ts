// Reading the repository's TypeScript as data, for the tests that check its shape (store-sql,
// import-graph): the files of a folder, and the SQL text literals of a file. Uses the compiler the
// project builds with, so what it parses is what tsc parses.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Every .ts file below dir (absolute paths, sorted), minus those `skip` names by their path from ROOT. */
export function tsFiles(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(relative(ROOT, path))) continue;
    if (entry.isDirectory()) out.push(...tsFiles(path, skip));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

export interface SqlLiteral {
  /** path:line */
  where: string;
  text: string;
}

// Statements that read or change data. Transaction control (BEGIN, COMMIT, SAVEPOINT…) and PRAGMAs
// are each backend's own machinery, which is what stays per backend.
const SQL_START = /^(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|LISTEN|NOTIFY)\s/;

/**
 * The string and template literals of a source text that hold SQL, substitutions kept as written
 * (`${SITE_SELECT(d)}`), so two statements built from the same pieces compare equal.
 */
export function sqlLiterals(path: string, text: string): SqlLiteral[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: SqlLiteral[] = [];
  const visit = (node: ts.Node): void => {
    let literal: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node)) {
      literal = node.head.text + node.templateSpans.map((span) => `\${${span.expression.getText(file)}}${span.literal.text}`).join('');
    }
    // A literal that starts with a substitution (`${SITE_SELECT(d)} WHERE …`) is a statement built on another.
    if (literal !== null && (SQL_START.test(literal.trim()) || /^\$\{[^}]*\}\s+(WHERE|ORDER|GROUP)\s/.test(literal.trim()))) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ where: `${relative(ROOT, path)}:${line + 1}`, text: literal });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** One spelling of a statement: whitespace collapsed, `$1`-style placeholders as `?`. */
export function normaliseSql(text: string): string {
  return text.replace(/\$\d+/g, '?').replace(/\s+/g, ' ').trim();
}

/** Groups of places that hold the same statement (after normaliseSql). */
export function repeatedSql(literals: readonly SqlLiteral[]): string[][] {
  const places = new Map<string, string[]>();
  for (const l of literals) {
    const key = normaliseSql(l.text);
    places.set(key, [...(places.get(key) ?? []), l.where]);
  }
  return [...places.values()].filter((p) => p.length > 1);
}

/**
 * The first run of `length` consecutive lines (trimmed, blank lines left out) that a and b share,
 * with its line numbers in each; null when there is none.
 */
export function sharedRun(a: string, b: string, length: number): { a: number; b: number; lines: string[] } | null {
  const numbered = (text: string) =>
    text
      .split('\n')
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter((l) => l.line !== '');
  const la = numbered(a);
  const lb = numbered(b);
  const runs = new Map<string, number>();
  for (let i = 0; i + length <= la.length; i++) {
    const key = la.slice(i, i + length).map((l) => l.line).join('\n');
    if (!runs.has(key)) runs.set(key, i);
  }
  for (let j = 0; j + length <= lb.length; j++) {
    const key = lb.slice(j, j + length).map((l) => l.line).join('\n');
    const i = runs.get(key);
    if (i !== undefined) return { a: la[i]!.n, b: lb[j]!.n, lines: key.split('\n') };
  }
  return null;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
