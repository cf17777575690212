// `npm run bench [-- name…]`: runs the benchmarks (all, or the named ones), prints a table per
// benchmark, and after a run of all of them writes docs/BENCHMARKS.md.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { nginxPath, nginxVersion } from './lib/baselines.js';
import { ROOT, usePostgres } from './lib/proc.js';
import { markdown, printSection, ratio, type Section } from './lib/report.js';
import { startThrowawayCluster } from '../scripts/pg-cluster.js';
import { QUICK } from './lib/stats.js';
import * as coldStart from './cold-start.js';
import * as deploy from './deploy.js';
import * as serve from './serve.js';
import * as me from './me.js';
import * as pagination from './pagination.js';
import * as largeDeploy from './large-deploy.js';
import * as profile from './profile.js';
import * as bodyFlood from './body-flood.js';
import * as toolListing from './tool-listing.js';
import * as forms from './forms.js';

const BENCHMARKS: Record<string, () => Promise<Section>> = {
  'cold-start': coldStart.run,
  deploy: deploy.run,
  serve: serve.run,
  me: me.run,
  pagination: pagination.run,
  'large-deploy': largeDeploy.run,
  profile: profile.run,
  'body-flood': bodyFlood.run,
  'tool-listing': toolListing.run,
  forms: forms.run,
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`);
    return 2;
  }
  const names = asked.length ? asked : Object.keys(BENCHMARKS);
  const started = Date.now();
  const loadBefore = loadavg();
  const sections: Section[] = [];
  for (const name of names) {
    const t = Date.now();
    console.error(`[bench] ${name}…`);
    const section = await (BENCHMARKS[name] as () => Promise<Section>)();
    console.error(`[bench] ${name} took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    printSection(section);
    sections.push(section);
  }
  if (asked.length === 0) {
    sections.push(...(await postgresSections(sections)));
    const nginx = nginxPath();
    const doc = markdown(sections, {
      command: QUICK ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
      date: new Date().toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      extra: [
        `Load generator: autocannon ${await autocannonVersion()} in its own process; nginx: ${nginx ? nginxVersion(nginx) : 'not installed'}`,
        `Load average (1, 5, 15 min) at start: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; at end: ${loadavg().map((l) => l.toFixed(2)).join(', ')} ` +
          '(the machine is shared; every ratio compares runs minutes apart under the same conditions)',
        `serve runs with INVOKER_RATE_LIMIT=10000000 and INVOKER_MAX_SITES=10000000 for every benchmark, so the per-IP limiter never answers 429 under load`,
        ...(QUICK ? ['QUICK MODE (BENCH_QUICK=1): fewer iterations, figures are a smoke test only'] : []),
      ],
    });
    const out = join(ROOT, 'docs/BENCHMARKS.md');
    await writeFile(out, doc);
    console.log(`\nWrote ${out}`);
  }
  return 0;
}

/** The benchmarks whose subject is the store, again with serve on PostgreSQL. */
const POSTGRES_BENCHMARKS = ['deploy', 'serve', 'me', 'large-deploy', 'forms'];

/** Why a PostgreSQL row trails its SQLite twin: the profiles of the SQLite rows do not apply. */
const POSTGRES_NEEDED =
  'On PostgreSQL, by design, nothing another instance can change is cached in process: every page request reads the site from ' +
  'the database, and every API request reads its key and counts against the per-IP budget kept in PostgreSQL (an UPSERT), so a ' +
  "publish, a revocation or a spent budget holds on every instance's next request. Every deploy is a durable commit over a " +
  'socket. Needed: caches cleared by the NOTIFY the store already sends (accepting milliseconds in which another instance may ' +
  'still give the old answer), a per-instance share of the rate budget, batched deploy inserts, and a pool sized for the load ' +
  '(fixed at 10 connections today).';

/**
 * The store-bound benchmarks on a throwaway PostgreSQL cluster (fsync on, as in production), and a
 * table of both backends side by side. Cold start does not touch the store; the pagination fixture
 * writes the SQLite file directly, so those rows are SQLite only.
 */
async function postgresSections(sqlite: readonly Section[]): Promise<Section[]> {
  const cluster = await startThrowawayCluster({ durable: true });
  if (!cluster) {
    return [{ name: 'postgres', title: 'PostgreSQL', rows: [], notes: ['PostgreSQL binaries are not installed (apt-get install postgresql): not measured.'] }];
  }
  const postgres: Section[] = [];
  try {
    usePostgres(cluster.url);
    for (const name of POSTGRES_BENCHMARKS) {
      const t = Date.now();
      console.error(`[bench] ${name} on PostgreSQL…`);
      const section = await (BENCHMARKS[name] as () => Promise<Section>)();
      console.error(`[bench] ${name} on PostgreSQL took ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const relabelled = {
        ...section,
        name: `${section.name}-postgres`,
        title: `${section.title}, on PostgreSQL`,
        rows: section.rows.map((r) => ({ ...r, what: `${r.what} [PostgreSQL]`, ...(r.needed ? { needed: POSTGRES_NEEDED } : {}) })),
      };
      printSection(relabelled);
      postgres.push(relabelled);
    }
  } finally {
    usePostgres(null);
    cluster.stop();
  }
  return [sideBySide(sqlite, postgres), ...postgres];
}

function sideBySide(sqlite: readonly Section[], postgres: readonly Section[]): Section {
  const lines = ['| what | SQLite | ratio | PostgreSQL | ratio | target |', '| --- | --- | --- | --- | --- | --- |'];
  for (const section of postgres) {
    for (const row of section.rows) {
      const what = row.what.replace(/ \[PostgreSQL\]$/, '');
      const twin = sqlite.flatMap((s) => s.rows).find((r) => r.what === what);
      const r = (x: number | null | undefined) => (x === null || x === undefined ? '—' : ratio(x));
      lines.push(`| ${what} | ${twin?.ours ?? '—'} | ${r(twin?.ratio)} | ${row.ours} | ${r(row.ratio)} | ${row.target} |`);
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

async function autocannonVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
