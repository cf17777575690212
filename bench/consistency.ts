// How fast instances sharing PostgreSQL hear each other (SPEC section 16; docs/SECURITY.md quotes
// these): the notification latency from a committed change to another instance's cache clearing,
// what waiting for the others' acknowledgement adds to a write, and how long a listener that died
// without a word (its PostgreSQL backend stopped with SIGSTOP: the socket stays open, nothing comes)
// keeps caching. The built store runs in this process, so both ends read one clock.
import pg from 'pg';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, backendName, createKey, databaseUrlOf, sleep, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { ms, percentile, pick } from './lib/stats.js';

type Change = { kind: 'site'; siteId: string; slugs: string[] };
interface Watcher {
  changed(change: Change | null): void;
  caching(on: boolean): void;
}
/** What this benchmark uses of the built PostgresStore (packages/platform/dist). */
interface Store {
  watchChanges(watcher: Watcher): Promise<void>;
  ensureUser(email: string, now: string): Promise<{ org: { id: string } }>;
  deploy(input: Record<string, unknown>): Promise<{ id: string; latestVersion: number }>;
  publish(orgId: string, siteId: string, version: number | null, now: string): Promise<unknown>;
  close(): Promise<void>;
}
interface Built {
  PostgresStore: { open(url: string, options: { reconnectMs: number }): Promise<Store> };
  changeMessage(instanceId: string, n: number, change: Change): string;
  SILENCE_BOUND_MS: number;
  HEARTBEAT_MS: number;
}

async function built(): Promise<Built> {
  const dist = join(ROOT, 'packages/platform/dist/store');
  const store = (await import(pathToFileURL(join(dist, 'postgres.js')).href)) as Pick<Built, 'PostgresStore'>;
  const listener = (await import(pathToFileURL(join(dist, 'postgres-listener.js')).href)) as Omit<Built, 'PostgresStore'>;
  return { ...store, ...listener };
}

const quiet = { changed() {}, caching() {} };

export async function run(): Promise<Section> {
  const title = 'Change notification between instances on PostgreSQL';
  if (backendName() !== 'PostgreSQL') return { name: 'consistency', title, rows: [], notes: ['Runs on PostgreSQL only.'] };
  const { PostgresStore, changeMessage, SILENCE_BOUND_MS, HEARTBEAT_MS } = await built();
  const count = pick(500, 50);
  const dataDir = await tempDir('consistency');
  await createKey(dataDir); // makes the database
  const url = databaseUrlOf(dataDir) as string;

  // 1. Latency: a NOTIFY committed by another connection, until the instance's cache has cleared it.
  const heard = new Map<string, number>();
  const b = await PostgresStore.open(url, { reconnectMs: 100 });
  await b.watchChanges({ changed: (c) => c && heard.set(c.siteId, performance.now()), caching() {} });
  const notifier = new pg.Client({ connectionString: url });
  await notifier.connect();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const siteId = `dep_latency${i}`;
    const t = performance.now();
    await notifier.query('SELECT pg_notify($1, $2)', ['invoker_changes', changeMessage('bench', i, { kind: 'site', siteId, slugs: [] })]);
    const committed = performance.now();
    while (!heard.has(siteId)) await new Promise((r) => setImmediate(r));
    // From the middle of the NOTIFY's round trip, when it committed at the latest.
    latencies.push((heard.get(siteId) as number) - (t + committed) / 2);
  }
  await notifier.end();

  // 2. A write waits for the others to acknowledge: publish alone, then with b listening.
  const a = await PostgresStore.open(url, { reconnectMs: 100 });
  await a.watchChanges(quiet);
  const { org } = await a.ensureUser('consistency@example.com', new Date().toISOString());
  const site = await a.deploy({
    orgId: org.id, newSiteId: 'dep_consistency', slug: 'consistency', previewToken: 'consistencytoken',
    metadata: { title: null, description: null, favicon: null, isSpa: false },
    files: [{ path: 'index.html', contentType: 'text/html', etag: '"c"', body: new TextEncoder().encode('<p>c</p>') }],
    publish: true, maxSites: 10, now: new Date().toISOString(),
  });
  await sleep(2 * HEARTBEAT_MS);
  const publishes = async () => {
    const times: number[] = [];
    for (let i = 0; i < Math.min(count, 200); i++) {
      const t = performance.now();
      await a.publish(org.id, site.id, 1, new Date().toISOString());
      times.push(performance.now() - t);
    }
    return times;
  };
  const withPeer = await publishes();
  await b.close();
  await sleep(4 * HEARTBEAT_MS);
  const alone = await publishes();

  // 3. A listener gone silent: its PostgreSQL backend stopped, the socket open, nothing arriving.
  const silent: number[] = [];
  let caching = true;
  const c = await PostgresStore.open(url, { reconnectMs: 100 });
  await c.watchChanges({ changed() {}, caching: (on) => (caching = on) });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let refused: string | null = null;
  for (let i = 0; i < pick(5, 2) && !refused; i++) {
    while (!caching) await sleep(20);
    await sleep(HEARTBEAT_MS);
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY backend_start DESC', [
      `invoker-mcp listener pid=${process.pid}`,
    ]);
    // The newest is c's (a's started first).
    const backend = rows[0]?.pid as number;
    try {
      process.kill(backend, 'SIGSTOP');
    } catch (e) {
      refused = `cannot stop PostgreSQL's backend as this user (${(e as Error).message})`;
      break;
    }
    const t = performance.now();
    while (caching) await sleep(5);
    silent.push(performance.now() - t);
    process.kill(backend, 'SIGCONT');
  }
  await admin.end();
  await Promise.all([a.close(), c.close()]);

  const ackCost = percentile(withPeer, 50) - percentile(alone, 50);
  return {
    name: 'consistency',
    title: `${title} (${count} notifications; ${withPeer.length} publishes with a peer and alone; ${silent.length} silenced listeners)`,
    rows: [
      { what: 'Notification latency: committed change → other instance cleared it, p50', ours: ms(percentile(latencies, 50)), baseline: '—', ratio: null, target: '(reported)', met: null },
      { what: 'Notification latency, p99', ours: ms(percentile(latencies, 99)), baseline: '—', ratio: null, target: '(reported)', met: null },
      {
        what: 'A publish waiting for one other instance to acknowledge, p50',
        ours: ms(percentile(withPeer, 50)),
        baseline: `alone ${ms(percentile(alone, 50))}`,
        ratio: percentile(withPeer, 50) / percentile(alone, 50),
        target: '(reported)',
        met: null,
      },
      {
        what: 'A silent listener (backend stopped) stops caching after, max',
        ours: refused ? 'not measured' : ms(Math.max(...silent)),
        baseline: `bound ${ms(SILENCE_BOUND_MS)}`,
        ratio: refused ? null : Math.max(...silent) / SILENCE_BOUND_MS,
        target: `≤ ${ms(SILENCE_BOUND_MS)}`,
        met: refused ? null : Math.max(...silent) <= SILENCE_BOUND_MS,
      },
    ],
    notes: [
      `Latency: a NOTIFY in the store's format committed by another connection, timed from the middle of its round trip to the listening instance's cache being told (same process, one clock). p90 ${ms(percentile(latencies, 90))}, max ${ms(percentile(latencies, 100))}.`,
      `Acknowledgement: a write is answered once every other live instance has cleared what it changed, so a caller's next request to any instance finds no stale answer; with one peer the publish p50 grew by ${ms(ackCost)} (p99 ${ms(percentile(withPeer, 99))} with the peer, ${ms(percentile(alone, 99))} alone).`,
      refused
        ? `Silent listener: ${refused}.`
        : `Silent listener: heartbeat every ${ms(HEARTBEAT_MS)}; caching stops when one is two intervals late, checked every 100 ms (bound ${ms(SILENCE_BOUND_MS)} after the last heartbeat heard). Measured from SIGSTOP to caching off: ${silent.map((x) => ms(x)).join(', ')}.`,
    ],
  };
}
