// The OpenAPI document against every HTTP answer the rest of the suite received (recorded by
// test/helpers/responses.ts; this file runs in a later group, after all the others). Each answer
// to a documented operation must be documented: its status, its content type, the headers the
// document says it always carries, and its JSON body against the schema. And each documented
// status of each operation must have been received at least once, so the document lists no answer
// that never happens. Run alone it has nothing to check: run the whole suite (npm test).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../packages/platform/src/server/openapi.js';
import { RECORD_DIR_ENV, type RecordedResponse } from '../helpers/responses.js';
import { ResponseChecker, type Verdict } from './check-response.js';

function recorded(): RecordedResponse[] {
  const dir = process.env[RECORD_DIR_ENV];
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as RecordedResponse));
}

const where = (r: RecordedResponse) => `${r.file} › ${r.test || '(setup)'}: ${r.method} ${r.target.slice(0, 120)} → ${r.status} ${r.type}`;

describe('the OpenAPI document tells the whole truth', () => {
  const records = recorded();
  const checker = new ResponseChecker(buildOpenApi('0.0.0', 'http://localhost'));
  const verdicts: Array<{ r: RecordedResponse; v: Verdict }> = records.map((r) => ({ r, v: checker.check(r) }));
  const operations = verdicts.filter((x): x is { r: RecordedResponse; v: Extract<Verdict, { kind: 'operation' }> } => x.v.kind === 'operation');
  const noRoute = verdicts.filter((x) => x.v.kind === 'no-route');
  const outOfScope = new Map<string, number>();
  for (const { v } of verdicts) if (v.kind === 'out-of-scope') outOfScope.set(v.scope, (outOfScope.get(v.scope) ?? 0) + 1);
  const seen = new Set(operations.filter(({ v }) => v.problems.length === 0).map(({ v }) => `${v.operation} ${v.status}`));
  const documented = checker.documented();

  it('has the answers of the whole suite to check', () => {
    expect(records.length, 'no answers were recorded: this check needs the whole suite run before it (npm test)').toBeGreaterThan(0);
  });

  it('documents every answer a documented operation gave: status, content type, headers and body', () => {
    const wrong = operations.filter(({ v }) => v.problems.length > 0).map(({ r, v }) => `${where(r)}: ${v.problems.join('; ')}`);
    const ops = new Set(documented.map((d) => d.split(' ').slice(0, 2).join(' ')));
    console.log(
      `[figures] OpenAPI conformance: ${records.length} answers recorded; ${operations.length} answers to ${ops.size} documented operations checked ` +
        `(${operations.length - wrong.length} match), ${noRoute.length} answers of the catch-all checked as the error format; out of scope: ` +
        ([...outOfScope].map(([scope, n]) => `${n} × ${scope}`).join('; ') || 'none'),
    );
    expect(wrong.slice(0, 40), `${wrong.length} answers the document does not describe`).toEqual([]);
  });

  it('answers every path no route serves with the JSON error of its status', () => {
    const wrong = noRoute.map(({ r, v }) => (v.kind === 'no-route' && v.problems.length ? `${where(r)}: ${v.problems.join('; ')}` : '')).filter(Boolean);
    expect(wrong.slice(0, 40), `${wrong.length} catch-all answers`).toEqual([]);
  });

  it('saw every documented status of every operation at least once', () => {
    const never = documented.filter((d) => !seen.has(d));
    console.log(`[figures] OpenAPI coverage: ${documented.length - never.length} of ${documented.length} documented (operation, status) pairs received and validated`);
    expect(never, 'documented answers no test received: add a test that gets each, or take it out of the route table').toEqual([]);
  });
});
