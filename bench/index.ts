// `npm run bench [-- name…]`: runs the benchmarks (all, or the named ones), prints a table per
// benchmark, and after a run of all of them writes docs/BENCHMARKS.md.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { nginxPath, nginxVersion } from './lib/baselines.js';
import { ROOT } from './lib/proc.js';
import { onPostgres, sideBySide } from './postgres.js';
import { markdown, printSection, type Section } from './lib/report.js';
import { QUICK } from './lib/stats.js';
import * as coldStart from './cold-start.js';
import * as deploy from './deploy.js';
import * as serve from './serve.js';
import * as me from './me.js';
import * as pagination from './pagination.js';
import * as largeDeploy from './large-deploy.js';
import * as profile from './profile.js';
import * as bodyFlood from './body-flood.js';
import * as instances from './instances.js';
import * as consistency from './consistency.js';
import * as toolListing from './tool-listing.js';
import * as remoteMcp from './remote-mcp.js';
import * as patch from './patch.js';
import * as forms from './forms.js';
import * as ogImage from './og-image.js';

const BENCHMARKS: Record<string, () => Promise<Section>> = {
  'cold-start': coldStart.run,
  deploy: deploy.run,
  serve: serve.run,
  me: me.run,
  pagination: pagination.run,
  'large-deploy': largeDeploy.run,
  profile: profile.run,
  'body-flood': bodyFlood.run,
  instances: instances.run,
  consistency: consistency.run,
  'tool-listing': toolListing.run,
  'remote-mcp': remoteMcp.run,
  patch: patch.run,
  forms: forms.run,
  'og-image': ogImage.run,
};

/** The benchmarks whose subject is the store, again with serve on PostgreSQL. */
const POSTGRES_BENCHMARKS = ['deploy', 'serve', 'me', 'large-deploy', 'forms', 'instances', 'consistency'];
/** Benchmarks that only mean something when instances share PostgreSQL: left out of the SQLite part. */
const POSTGRES_ONLY = new Set(['instances', 'consistency']);

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) {
    console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`);
    return 2;
  }
  const names = asked.length ? asked : Object.keys(BENCHMARKS).filter((name) => !POSTGRES_ONLY.has(name));
  const started = Date.now();
  const loadBefore = loadavg();
  const sections: Section[] = [];
  if (asked.length > 0 && process.env.BENCH_BACKEND === 'postgres') {
    // Named benchmarks on PostgreSQL only (for working on that backend); the full run does both.
    await onPostgres(names, BENCHMARKS);
    return 0;
  }
  for (const name of names) {
    const t = Date.now();
    console.error(`[bench] ${name}…`);
    const section = await (BENCHMARKS[name] as () => Promise<Section>)();
    console.error(`[bench] ${name} took ${((Date.now() - t) / 1000).toFixed(1)} s`);
    printSection(section);
    sections.push(section);
  }
  if (asked.length === 0) {
    const postgres = await onPostgres(POSTGRES_BENCHMARKS, BENCHMARKS);
    if (postgres.some((section) => section.rows.length)) sections.push(sideBySide(sections, postgres));
    sections.push(...postgres);
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
