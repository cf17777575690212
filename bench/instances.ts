// Three `serve` instances on one PostgreSQL database behind a real nginx (the reverse proxy of
// docs/SELF-HOSTING.md, INVOKER_TRUST_PROXY=1), serving a live 10 KB page, against one instance
// behind the same nginx, and one instance alone. Where the cores went during each load is read from
// /proc, because on a small machine the instances, the proxy, the database and the load generator
// all share the same cores: that is what says what a bigger machine would show.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { NGINX_MISSING, nginxPath, nginxVersion, startNginxProxy } from './lib/baselines.js';
import { cpuDuring, pidsMatching } from './lib/cpu-usage.js';
import { alternate, autocannon, type LoadResult } from './lib/load.js';
import { htmlPage } from './lib/pages.js';
import { apiDeploy, getBytes } from './lib/platform.js';
import { backendName, createKey, databaseName, startServe, tempDir } from './lib/proc.js';
import type { Row, Section } from './lib/report.js';
import { ms, perSecond, pick } from './lib/stats.js';

const WHAT = 'Live 10 KB page, 3 instances behind nginx vs 1 behind it, req/s';
const SITES_DOMAIN = 'sites.test';
const TARGET = 1.5;

type Load = 'three' | 'one' | 'direct';
type Cores = Record<string, number>;

const share = (c: number) => `${(c * 100).toFixed(0)}%`;

export async function run(): Promise<Section> {
  const title = 'Several instances behind a real proxy (3 × serve on one PostgreSQL database, nginx in front, INVOKER_TRUST_PROXY=1)';
  if (backendName() !== 'PostgreSQL') {
    return { name: 'instances', title, rows: [], notes: ['Runs on PostgreSQL only, where instances share one database: `npm run bench` runs it in its PostgreSQL part; alone, `BENCH_BACKEND=postgres npm run bench -- instances`.'] };
  }
  const nginxBin = nginxPath();
  if (!nginxBin) {
    return { name: 'instances', title, rows: [{ what: WHAT, ours: 'not measured', baseline: '—', ratio: null, target: `≥ ${TARGET}×`, met: false, needed: NGINX_MISSING }], notes: [NGINX_MISSING] };
  }
  const seconds = pick(5, 2);
  const warmupSeconds = 1;
  const rounds = pick(5, 1);
  const html = htmlPage(10 * 1024, 'instances');
  const dataDir = await tempDir('instances');
  // The same data dir: on PostgreSQL it names the database, which all three share.
  const env = { INVOKER_TRUST_PROXY: '1', INVOKER_SITES_DOMAIN: SITES_DOMAIN };
  // The first makes the database; the other two start on it.
  const first = await startServe({ dataDir, env });
  const serves = [first, ...(await Promise.all([1, 2].map(() => startServe({ dataDir, env }))))];
  try {
    const nginx = await startNginxProxy(nginxBin, [serves.map((s) => s.port), [serves[0]!.port]]);
    try {
      const key = await createKey(dataDir);
      await apiDeploy(serves[0]!.url, key, { slug: 'bench-page', html, publish: true });
      const host = `bench-page.${SITES_DOMAIN}`;
      const [threePort, onePort] = nginx.ports as [number, number];
      for (const port of [threePort, onePort, serves[0]!.port]) {
        const check = await getBytes(`http://127.0.0.1:${port}/`, { host });
        if (check.status !== 200 || check.body.toString() !== html) throw new Error(`live page on port ${port} answered ${check.status} with other bytes`);
      }

      const database = databaseName(dataDir) as string;
      const cpu: Record<Load, Cores[]> = { three: [], one: [], direct: [] };
      const measured = (name: Load, port: number) => async (): Promise<LoadResult> => {
        let generator = 0;
        const { result, cores } = await cpuDuring(
          {
            ...Object.fromEntries(serves.map((s, i) => [`serve ${i + 1}`, () => [s.pid]])),
            nginx: () => nginx.pids(),
            postgres: () => pidsMatching(` ${database} `),
            autocannon: () => (generator ? [generator] : []),
          },
          () => autocannon({ url: `http://127.0.0.1:${port}/`, connections: 64, seconds, warmupSeconds, headers: { host }, onSpawn: (pid) => (generator = pid) }),
        );
        cpu[name].push(cores);
        return result;
      };
      const { three, one, direct } = await alternate(rounds, {
        three: measured('three', threePort),
        one: measured('one', onePort),
        direct: measured('direct', serves[0]!.port),
      });
      for (const [name, r] of Object.entries({ three, one, direct })) {
        if (r.non2xx || r.errors) throw new Error(`${name} load had ${r.non2xx} non-2xx and ${r.errors} errors`);
      }
      const ratio = three.requestsPerSecond / one.requestsPerSecond;
      const median = (name: Load, key: string) => [...cpu[name].map((c) => c[key] ?? 0)].sort((a, b) => a - b)[Math.floor((cpu[name].length - 1) / 2)] ?? 0;
      const where = (name: Load) => {
        const keys = Object.keys(cpu[name][0] ?? {}).filter((k) => k !== 'machine');
        const listed = keys.reduce((n, k) => n + median(name, k), 0);
        const machine = median(name, 'machine');
        return (
          `${keys.map((k) => `${k} ${share(median(name, k))}`).join(', ')}; the whole machine ${share(machine)} of ${share(cores())} ` +
          `(${share(Math.max(0, machine - listed))} other processes on this shared machine)`
        );
      };
      const serveCores = (name: Load) => serves.reduce((n, _, i) => n + median(name, `serve ${i + 1}`), 0);
      const perCore = (r: LoadResult, name: Load) => r.requestsPerSecond / Math.max(0.01, serveCores(name));
      const rows: Row[] = [
        {
          what: WHAT,
          ours: perSecond(three.requestsPerSecond),
          baseline: `1 instance behind nginx ${perSecond(one.requestsPerSecond)}`,
          ratio,
          target: `≥ ${TARGET}×`,
          met: ratio >= TARGET,
          needed:
            `The cores are the limit, not the instances: during the three-instance rounds the machine was busy ${share(median('three', 'machine'))} of ${share(cores())} ` +
            `(${where('three')}). One instance behind nginx already had ${where('one')}. ` +
            `Per core of serve CPU, one instance served ${perSecond(perCore(one, 'one'))} and three together ${perSecond(perCore(three, 'three'))}: ${perRequest(perCore(one, 'one'), perCore(three, 'three'))}; ` +
            `the instances shared the same two cores with nginx, PostgreSQL and the load generator. On a machine with a core for each instance and cores of their own for nginx and the load ` +
            `generator, three instances would serve about three times one instance (nothing is shared between them on this path: each answers from its own cache).`,
        },
        {
          what: 'Live 10 KB page, 1 instance direct (no proxy), req/s',
          ours: perSecond(direct.requestsPerSecond),
          baseline: `1 instance behind nginx ${perSecond(one.requestsPerSecond)}`,
          ratio: direct.requestsPerSecond / one.requestsPerSecond,
          target: '(reported)',
          met: null,
        },
      ];
      return {
        name: 'instances',
        title: `${title}: 64 connections, median of ${rounds} alternating rounds of ${seconds} s, each after ${warmupSeconds} s warm-up`,
        rows,
        notes: [
          `nginx ${nginxVersion(nginxBin)} as the reverse proxy (worker_processes auto, upstream keepalive 128, Host passed, X-Forwarded-For appended), the three instances round robin. ` +
            `Each instance runs with INVOKER_TRUST_PROXY=1 and caches the site (SPEC section 16): PostgreSQL is not asked for a page.`,
          `p50 / p99: three ${ms(three.p50)} / ${ms(three.p99)}, one ${ms(one.p50)} / ${ms(one.p99)}, direct ${ms(direct.p50)} / ${ms(direct.p99)}. ` +
            `req/s per round: three ${three.rounds.join(', ')}; one ${one.rounds.join(', ')}; direct ${direct.rounds.join(', ')}.`,
          `CPU, median of the rounds, as a share of one core: three instances: ${where('three')}. One instance: ${where('one')}. Direct: ${where('direct')}.`,
        ],
      };
    } finally {
      await nginx.stop();
    }
  } finally {
    for (const s of serves) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** This machine's cores: the whole machine's busy share is out of this many. */
function cores(): number {
  return availableParallelism();
}

/**
 * What the per-core rates say about the work per request: the same (within 10%), or how much more
 * serve CPU each request took with three processes on the cores (switching between more processes
 * than cores costs caches and scheduling, not work of ours).
 */
function perRequest(onePerCore: number, threePerCore: number): string {
  if (threePerCore >= 0.9 * onePerCore) return 'the work per request did not grow';
  const more = Math.round((onePerCore / threePerCore - 1) * 100);
  return `each request took ${more}% more serve CPU with three processes sharing the cores (switching between more processes than cores costs caches and scheduling; the code path is the same)`;
}
