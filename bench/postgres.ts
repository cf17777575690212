// The store-bound benchmarks again with serve on PostgreSQL (a throwaway local cluster, fsync on, as
// in production; each serve on a fresh database), their rows held to PostgreSQL's own targets (issue
// 24: a shared database may cost some of SQLite's speed, not most of it), and a table of both
// backends side by side. Cold start does not touch the store; the pagination fixture writes the
// SQLite file directly, so those rows are SQLite only.
import { startThrowawayCluster } from '../scripts/pg-cluster.js';
import { usePostgres } from './lib/proc.js';
import { printSection, ratio, type Row, type Section } from './lib/report.js';

/** PostgreSQL's targets where they differ from SQLite's, by row. */
const TARGETS: Record<string, { target: string; met: (ratio: number) => boolean }> = {
  'Live 10 KB page, req/s': { target: '≥ 0.6× node:http', met: (r) => r >= 0.6 },
  'Authenticated GET /me, req/s': { target: '≥ 0.4×', met: (r) => r >= 0.4 },
  'Deploys per second, 16 concurrent HTTP clients': { target: '≥ 0.3×', met: (r) => r >= 0.3 },
};

/** What every PostgreSQL row's explanation starts from: the SQLite rows' profiles do not apply. */
const CACHED =
  'On PostgreSQL every instance caches sites, files and keys as the SQLite store does (cleared by NOTIFY), and counts the per-IP ' +
  'budget in memory, adding it to the database every 100 ms; what is left per request is the same code as on SQLite.';

/** Why a PostgreSQL row trails its target, by benchmark: what waits on the database there. */
const NEEDED: Record<string, string> = {
  deploy:
    `${CACHED} A deploy is a transaction over a socket: the writes and COMMIT pipelined behind a guard that the slug's holder ` +
    'is still the one this instance wrote last (one round trip; two when it changed), and the deploys of one slug queue for ' +
    'their turn, so a burst commits together (one transaction, one fsync). What is left is the MCP hop and the fsync. See the notes.',
  forms:
    `${CACHED} A submission is a transaction over a socket: one round trip for its number (which also says whether a webhook ` +
    'listens), with a webhook one more for the listeners and the site, then the inserts and COMMIT; the worker signs, posts and ' +
    'records each delivery on the same two cores.',
};

function relabel(section: Section): Section {
  const rows = section.rows.map((r): Row => {
    const own = TARGETS[r.what];
    const met = own && r.ratio !== null ? own.met(r.ratio) : r.met;
    return {
      ...r,
      what: `${r.what} [PostgreSQL]`,
      ...(own ? { target: own.target } : {}),
      met,
      ...(r.needed && NEEDED[section.name] ? { needed: NEEDED[section.name] } : {}),
    };
  });
  return { ...section, name: `${section.name}-postgres`, title: `${section.title}, on PostgreSQL`, rows };
}

/** The named benchmarks on a throwaway PostgreSQL cluster, each section printed as it ends. */
export async function onPostgres(names: readonly string[], benchmarks: Record<string, () => Promise<Section>>): Promise<Section[]> {
  const cluster = await startThrowawayCluster({ durable: true });
  if (!cluster) {
    return [{ name: 'postgres', title: 'PostgreSQL', rows: [], notes: ['PostgreSQL binaries are not installed (apt-get install postgresql): not measured.'] }];
  }
  const postgres: Section[] = [];
  try {
    usePostgres(cluster.url);
    for (const name of names) {
      const t = Date.now();
      console.error(`[bench] ${name} on PostgreSQL…`);
      const section = relabel(await (benchmarks[name] as () => Promise<Section>)());
      console.error(`[bench] ${name} on PostgreSQL took ${((Date.now() - t) / 1000).toFixed(1)} s`);
      printSection(section);
      postgres.push(section);
    }
  } finally {
    usePostgres(null);
    cluster.stop();
  }
  return postgres;
}

export function sideBySide(sqlite: readonly Section[], postgres: readonly Section[]): Section {
  const lines = ['| what | SQLite | ratio | target | PostgreSQL | ratio | target |', '| --- | --- | --- | --- | --- | --- | --- |'];
  const r = (x: number | null | undefined) => (x === null || x === undefined ? '—' : ratio(x));
  for (const section of postgres) {
    for (const row of section.rows) {
      const what = row.what.replace(/ \[PostgreSQL\]$/, '');
      const twin = sqlite.flatMap((s) => s.rows).find((t) => t.what === what);
      lines.push(`| ${what} | ${twin?.ours ?? '—'} | ${r(twin?.ratio)} | ${twin?.target ?? '—'} | ${row.ours} | ${r(row.ratio)} | ${row.target} |`);
    }
  }
  return {
    name: 'backends',
    title: 'Both backends side by side',
    rows: [],
    notes: [
      'The same benchmarks with `serve` on SQLite (the embedded default) and on PostgreSQL (DATABASE_URL; a throwaway local cluster with fsync on; each serve on a fresh database). Each ratio is to the baseline measured in the same run.',
      lines.join('\n'),
    ],
  };
}
