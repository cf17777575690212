// Authenticated GET /me under load, against a node:http server answering the same JSON bytes from memory.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startNodeBaseline } from './lib/baselines.js';
import { alternate, autocannon } from './lib/load.js';
import { getBytes } from './lib/platform.js';
import { BENCH_RATE_LIMIT, createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { ms, perSecond, pick } from './lib/stats.js';

export async function run(): Promise<Section> {
  const seconds = pick(5, 2);
  const warmupSeconds = 1;
  const rounds = pick(5, 1);
  const dir = await tempDir('me');
  const serve = await startServe();
  try {
    const key = await createKey(serve.dataDir);
    const headers = { authorization: `Bearer ${key}` };
    const me = await getBytes(`${serve.url}/me`, headers);
    if (me.status !== 200) throw new Error(`GET /me answered ${me.status}`);
    const file = join(dir, 'me.json');
    await writeFile(file, me.body);
    const baseline = await startNodeBaseline('static', file);
    try {
      // /me is answered on node:http (src/server/node-lane.ts); /orgs/c/me is the same answer through
      // the Hono app, which every other API route takes: reported so the lane's gain is visible.
      const { ours, hono, base } = await alternate(rounds, {
        ours: () => autocannon({ url: `${serve.url}/me`, connections: 64, seconds, warmupSeconds, headers }),
        hono: () => autocannon({ url: `${serve.url}/orgs/c/me`, connections: 64, seconds, warmupSeconds, headers }),
        base: () => autocannon({ url: `http://127.0.0.1:${baseline.port}/me`, connections: 64, seconds, warmupSeconds, headers }),
      });
      for (const [name, r] of Object.entries({ ours, hono })) {
        if (r.non2xx || r.errors) throw new Error(`${name} load had ${r.non2xx} non-2xx and ${r.errors} errors`);
      }
      const r = ours.requestsPerSecond / base.requestsPerSecond;
      return {
        name: 'me',
        title: `Authenticated GET /me (64 connections; median of ${rounds} alternating rounds of ${seconds} s, each after ${warmupSeconds} s warm-up)`,
        rows: [
          {
            what: 'Authenticated GET /me, req/s',
            ours: perSecond(ours.requestsPerSecond),
            baseline: `node:http ${perSecond(base.requestsPerSecond)}`,
            ratio: r,
            target: '≥ 0.5×',
            met: r >= 0.5,
            needed:
              'GET /me is answered on node:http (src/server/node-lane.ts) with the same key check, budget and error answers as the Hono route; ' +
              'what is left is the SHA-256 of the key, the rate-limit count and the socket write. See the profile below.',
          },
          {
            what: 'The same answer through the Hono app (GET /orgs/c/me), req/s',
            ours: perSecond(hono.requestsPerSecond),
            baseline: `node:http ${perSecond(base.requestsPerSecond)}`,
            ratio: hono.requestsPerSecond / base.requestsPerSecond,
            target: '(reported)',
            met: null,
          },
        ],
        notes: [
          `p99: ours ${ms(ours.p99)}, through Hono ${ms(hono.p99)}, node:http ${ms(base.p99)}; p50: ours ${ms(ours.p50)}, through Hono ${ms(hono.p50)}, node:http ${ms(base.p50)}. ` +
            `Baseline answers the same ${me.body.length}-byte JSON from memory without checking the key. INVOKER_RATE_LIMIT=${BENCH_RATE_LIMIT}. ` +
            `req/s per round: ours ${ours.rounds.join(', ')}; through Hono ${hono.rounds.join(', ')}; node:http ${base.rounds.join(', ')}.`,
          'GET /me (what `whoami` and every client calls to check its key) is answered on node:http without web Request/Response objects, ' +
            'as site pages are, because for an answer this small the adapter and the middleware chain cost more than the work. Every other API ' +
            'route goes through the Hono app: the second row is what that costs for the same answer. Its profile showed two avoidable costs, ' +
            'now gone from every route: the body-limit check on a GET made @hono/node-server build a full web Request, and setting the ' +
            'RateLimit headers on the response turned its header object into a web Headers (each about a third of the request\'s CPU time).',
        ],
      };
    } finally {
      await baseline.stop();
    }
  } finally {
    await serve.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
