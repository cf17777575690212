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
      const { ours, base } = await alternate(rounds, {
        ours: () => autocannon({ url: `${serve.url}/me`, connections: 64, seconds, warmupSeconds, headers }),
        base: () => autocannon({ url: `http://127.0.0.1:${baseline.port}/me`, connections: 64, seconds, warmupSeconds, headers }),
      });
      if (ours.non2xx || ours.errors) throw new Error(`/me load had ${ours.non2xx} non-2xx and ${ours.errors} errors`);
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
              'Verified keys are already cached in process (CachedStore, cleared on revocation), so the store is off this path. The /me profile (below) ' +
              'is dominated by the socket write (`writeUtf8String`) and the web Request/Response adaptation of @hono/node-server (`_Request`, header ' +
              'conversion) plus the middleware chain (rate limit, body limit, auth). Needed: answer the hot API routes on node:http directly, as site pages ' +
              'already are (src/server/main.ts), or a lighter adapter that writes head and body in one call.',
          },
        ],
        notes: [
          `p99: ours ${ms(ours.p99)}, node:http ${ms(base.p99)}; p50: ours ${ms(ours.p50)}, node:http ${ms(base.p50)}. ` +
            `Baseline answers the same ${me.body.length}-byte JSON from memory without checking the key. INVOKER_RATE_LIMIT=${BENCH_RATE_LIMIT}. ` +
            `req/s per round: ours ${ours.rounds.join(', ')}; node:http ${base.rounds.join(', ')}.`,
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
