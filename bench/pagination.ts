// Deep pages: get_submissions' HTTP route with 1,000,000 submissions on one site and
// list_deploys' with 100,000 sites; the deepest page against page 1 of the same query.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { request } from 'undici';
import { fillStore, type Fixture } from './lib/fixture.js';
import { createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { median, ms, pick, timed } from './lib/stats.js';

async function timeGet(url: string, key: string, repeats: number, check: (json: Record<string, unknown>) => void): Promise<number> {
  const once = async () => {
    const res = await request(url, { headers: { authorization: `Bearer ${key}` } });
    const json = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${JSON.stringify(json)}`);
    return json;
  };
  check(await once());
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push((await timed(once)).ms);
  return median(times);
}

/**
 * The page queries of src/store/sqlite.ts (copied: bench does not import src), run directly on the
 * fixture at the shallow and the deep end: plan and median time of each.
 */
function keysetEvidence(dataDir: string, fx: Fixture, repeats: number): string[] {
  const db = new DatabaseSync(join(dataDir, 'invoker.db'), { readOnly: true });
  try {
    const [cursor] = JSON.parse(Buffer.from(fx.lastPageCursor, 'base64url').toString('utf8')) as [number];
    const sites = 'SELECT s.id FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version WHERE s.org_id = ?';
    const subs = 'SELECT id, data FROM submissions WHERE site_id = ?';
    const cases: Array<[string, string, SQLInputValue[]]> = [
      ['list_deploys page 1', `${sites} ORDER BY s.rowid DESC LIMIT 101`, [fx.orgId]],
      ['list_deploys last page (cursor)', `${sites} AND s.rowid < ? ORDER BY s.rowid DESC LIMIT 101`, [fx.orgId, cursor]],
      ['get_submissions page 1', `${subs} AND seq <= ? ORDER BY seq DESC LIMIT 50`, [fx.submissionSiteId, fx.submissions]],
      ['get_submissions last page', `${subs} AND seq <= ? ORDER BY seq DESC LIMIT 50`, [fx.submissionSiteId, 50]],
      ['CSV export batch near the end', `${subs} AND seq > ? ORDER BY seq LIMIT 500`, [fx.submissionSiteId, fx.submissions - 1000]],
    ];
    const lines = ['| query | median | plan |', '| --- | ---: | --- |'];
    for (const [label, sql, args] of cases) {
      const stmt = db.prepare(sql);
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const start = process.hrtime.bigint();
        stmt.all(...args);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      lines.push(`| ${label} | ${ms(median(times))} | \`${plan}\` |`);
    }
    return [`Page queries run directly on the fixture with node:sqlite (median of ${repeats}):`, lines.join('\n')];
  } finally {
    db.close();
  }
}

export async function run(): Promise<Section> {
  const submissions = pick(1_000_000, 100_000);
  const sites = pick(100_000, 10_000);
  const repeats = pick(15, 5);
  const limit = 50;
  const pageSize = 100;
  const dataDir = await tempDir('pages');
  try {
    const key = await createKey(dataDir);
    const fx = fillStore(dataDir, { sites, submissions, pageSize });
    const serve = await startServe({ dataDir });
    try {
      const subUrl = (page: number) => `${serve.url}/submissions/${fx.submissionSiteId}?page=${page}&limit=${limit}`;
      const deepest = Math.ceil(submissions / limit);
      const expectSubs = (n: number) => (json: Record<string, unknown>) => {
        const got = (json.submissions as unknown[]).length;
        if (got !== n) throw new Error(`expected ${n} submissions on the page, got ${got}`);
      };
      const sub1 = await timeGet(subUrl(1), key, repeats, expectSubs(limit));
      const subMid = await timeGet(subUrl(Math.ceil(deepest / 2)), key, repeats, expectSubs(limit));
      const subLast = await timeGet(subUrl(deepest), key, repeats, expectSubs(submissions - (deepest - 1) * limit));

      const deploysUrl = `${serve.url}/deploys?limit=${pageSize}`;
      const expectDeploys = (n: number, last: boolean) => (json: Record<string, unknown>) => {
        const got = (json.deploys as unknown[]).length;
        if (got !== n) throw new Error(`expected ${n} deploys on the page, got ${got}`);
        if (last !== (json.next_cursor === null)) throw new Error(`next_cursor ${String(json.next_cursor)} on ${last ? 'the last' : 'page 1'}`);
      };
      const dep1 = await timeGet(deploysUrl, key, repeats, expectDeploys(pageSize, false));
      const depLast = await timeGet(`${deploysUrl}&cursor=${fx.lastPageCursor}`, key, repeats, expectDeploys(fx.lastPageSize, true));

      const evidence = keysetEvidence(dataDir, fx, repeats);
      const subRatio = subLast / sub1;
      const depRatio = depLast / dep1;
      return {
        name: 'pagination',
        title: `Deep pages (${submissions.toLocaleString('en-US')} submissions on one site; ${fx.sites.toLocaleString('en-US')} sites; median of ${repeats})`,
        rows: [
          {
            what: `get_submissions: page ${deepest.toLocaleString('en-US')} vs page 1 (limit ${limit})`,
            ours: ms(subLast),
            baseline: `page 1: ${ms(sub1)}`,
            ratio: subRatio,
            target: '≤ 2× page 1',
            met: subRatio <= 2,
            needed:
              'Pages are found from per-site submission numbers (seq) and a small list of deleted numbers, then read as an index range; ' +
              'check the plans in the notes for a scan, and the gap list for size if many submissions were deleted.',
          },
          {
            what: `list_deploys: last page (cursor) vs page 1 (limit ${pageSize})`,
            ours: ms(depLast),
            baseline: `page 1: ${ms(dep1)}`,
            ratio: depRatio,
            target: '≤ 2× page 1',
            met: depRatio <= 2,
            needed:
              'The cursor is the last rowid seen and the query a range on the (org_id, rowid) index; check the plans in the notes for a scan.',
          },
        ],
        notes: [
          `Through HTTP: GET /submissions/{id}?page=N&limit=${limit} (what get_submissions calls) and GET /deploys?limit=${pageSize}&cursor=… (list_deploys). ` +
            `The last-page cursor is the next_cursor a client holds after walking to the page before it, computed from the fixture.`,
          `Middle page ${Math.ceil(deepest / 2).toLocaleString('en-US')} of submissions: ${ms(subMid)} (${(subMid / sub1).toFixed(1)}× page 1).`,
          `Fixture built in ${(fx.fillMs / 1000).toFixed(1)} s by writing the schema's tables directly with node:sqlite in one transaction.`,
          ...evidence,
        ],
      };
    } finally {
      await serve.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
