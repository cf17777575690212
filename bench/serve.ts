// Serving a live 10 KB page with 64 connections: serve (Host: {slug}.localhost:port) against a
// node:http server holding the same bytes in memory, and nginx when installed.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nginxPath, nginxVersion, startNginx, startNodeBaseline } from './lib/baselines.js';
import { alternate, autocannon, type LoadResult } from './lib/load.js';
import { htmlPage } from './lib/pages.js';
import { apiDeploy, getBytes } from './lib/platform.js';
import { BENCH_RATE_LIMIT, createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { ms, perSecond, pick } from './lib/stats.js';

export async function run(): Promise<Section> {
  const seconds = pick(5, 2);
  const warmupSeconds = 1;
  const rounds = pick(5, 1);
  const html = htmlPage(10 * 1024, 'serve');
  const dir = await tempDir('serve');
  const file = join(dir, 'page.html');
  await writeFile(file, html);
  const serve = await startServe();
  const baseline = await startNodeBaseline('static', file);
  const nginxBin = nginxPath();
  const nginx = nginxBin ? await startNginx(nginxBin, Buffer.from(html)) : null;
  try {
    const key = await createKey(serve.dataDir);
    await apiDeploy(serve.url, key, { slug: 'bench-page', html, publish: true });
    const host = `bench-page.localhost:${serve.port}`;
    const check = await getBytes(`${serve.url}/`, { host });
    if (check.status !== 200 || check.body.toString() !== html) throw new Error(`live page answered ${check.status} with other bytes`);

    const load = (url: string, headers: Record<string, string> = {}) =>
      autocannon({ url, connections: 64, seconds, warmupSeconds, headers });
    const measured = await alternate(rounds, {
      ours: () => load(`${serve.url}/`, { host }),
      base: () => load(`http://127.0.0.1:${baseline.port}/`),
      ...(nginx ? { nginx: () => load(`http://127.0.0.1:${nginx.port}/`) } : {}),
    } as Record<'ours' | 'base' | 'nginx', () => Promise<LoadResult>>);
    const ours = measured.ours;
    const base = measured.base;
    const ngx = nginx ? measured.nginx : null;
    if (ours.non2xx || ours.errors) throw new Error(`serving load had ${ours.non2xx} non-2xx and ${ours.errors} errors`);

    const r = ours.requestsPerSecond / base.requestsPerSecond;
    const nginxText = ngx ? `nginx ${perSecond(ngx.requestsPerSecond)}, p99 ${ms(ngx.p99)}` : 'nginx not installed';
    return {
      name: 'serve',
      title: `Serving a live 10 KB page (64 connections; median of ${rounds} alternating rounds of ${seconds} s, each after ${warmupSeconds} s warm-up)`,
      rows: [
        {
          what: 'Live 10 KB page, req/s',
          ours: perSecond(ours.requestsPerSecond),
          baseline: `node:http ${perSecond(base.requestsPerSecond)}; ${ngx ? `nginx ${perSecond(ngx.requestsPerSecond)}` : 'nginx not installed'}`,
          ratio: r,
          target: '≥ 0.7× node:http',
          met: r >= 0.7,
          needed:
            'The serving profile: per request, `getFile` (copies the 10 KB BLOB out of SQLite) and `findSiteBySlug` (sites ⋈ site_versions) are the largest JS frames, ' +
            'then the Fetch-API adaptation in @hono/node-server (a Request and a Response object per request, header conversion). The node:http baseline does none of this. ' +
            'Needed: an in-process cache of live (slug → site, version) and of small files by (site, version, path) with their ETag and a ready Buffer, invalidated on ' +
            'deploy, publish, rename and delete (one process owns the SQLite store); and answering site hosts before the Hono middleware chain.',
        },
        {
          what: 'Live 10 KB page, p99 latency',
          ours: ms(ours.p99),
          baseline: `node:http ${ms(base.p99)}${ngx ? `; nginx ${ms(ngx.p99)}` : ''}`,
          ratio: ours.p99 / base.p99,
          target: '(reported)',
          met: null,
        },
      ],
      notes: [
        `Load: autocannon (separate process) on loopback, 64 connections. serve runs with INVOKER_RATE_LIMIT=${BENCH_RATE_LIMIT}. ` +
          'The load generator shares the machine\'s cores with the server under test, the same for every row.',
        `Baselines: node:http answering the same bytes from memory; ${nginxBin ? `nginx ${nginxVersion(nginxBin)} (worker_processes auto, access_log off): ${nginxText}` : 'nginx not installed'}.`,
        `p50: ours ${ms(ours.p50)}, node:http ${ms(base.p50)}${ngx ? `, nginx ${ms(ngx.p50)}` : ''} (autocannon reports whole milliseconds). ` +
          `req/s per round: ours ${ours.rounds.join(', ')}; node:http ${base.rounds.join(', ')}${ngx ? `; nginx ${ngx.rounds.join(', ')}` : ''}.`,
      ],
    };
  } finally {
    await nginx?.stop();
    await baseline.stop();
    await serve.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
