// Crash durability: a real `serve` killed with SIGKILL at random moments while 16 clients deploy and
// submit forms. After every kill the database passes PRAGMA integrity_check, and at the end every
// deploy and submission the server acknowledged with a 2xx is there, checked against the clients' logs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { seededRandom } from './hostile.js';

const CLIENTS = 16;
const KILLS = 5;
const ENV = { INVOKER_RATE_LIMIT: '10000000', INVOKER_MAX_SITES: '1000000', INVOKER_TRUST_PROXY: '1' };

interface AckedDeploy {
  id: string;
  slug: string;
  marker: string;
  key: string;
}
interface AckedSubmission {
  siteId: string;
  id: string;
  key: string;
  marker: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash durability', () => {
  let platform: Platform | undefined;
  let dataDir = '';

  afterAll(async () => {
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`loses no acknowledged deploy or submission across ${KILLS} SIGKILLs under ${CLIENTS} concurrent clients`, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'invoker-crash-'));
    const rand = seededRandom(99);
    // Four orgs, made before the server starts, shared by the clients.
    const bootstrap = { port: 0, dataDir } as Platform;
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) keys.push(await createKey(bootstrap, `crash${i}@example.com`));
    platform = await startPlatform({ dataDir, env: ENV });

    const deploys: AckedDeploy[] = [];
    const submissions: AckedSubmission[] = [];
    let attempts = 0;
    let refused = 0;
    let running = true;
    let ipCounter = 0;

    const client = async (n: number) => {
      const key = keys[n % keys.length] as string;
      const mine: AckedDeploy[] = [];
      let i = 0;
      while (running) {
        const port = (platform as Platform).port;
        i++;
        attempts++;
        try {
          if (mine.length === 0 || i % 3 === 0) {
            const marker = `c${n}-${i}-${Math.floor(rand() * 1e9)}`;
            const res = await httpRequest(port, {
              method: 'POST',
              path: '/deploy',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ slug: marker, html: `<!doctype html><p>${marker}</p><form action="{{SUBMIT_URL}}" method="post"></form>` }),
            });
            if (res.status === 201) {
              const site = JSON.parse(res.body) as { id: string; slug: string };
              const acked = { id: site.id, slug: site.slug, marker, key };
              mine.push(acked);
              deploys.push(acked);
            } else if (res.status >= 500 || res.status < 200) {
              throw new Error(`deploy answered ${res.status}: ${res.body}`);
            }
          } else {
            const site = mine[Math.floor(rand() * mine.length)] as AckedDeploy;
            const marker = `s${n}-${i}`;
            ipCounter++;
            const res = await httpRequest(port, {
              method: 'POST',
              path: `/submit/${site.id}`,
              headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}` },
              body: JSON.stringify({ marker }),
            });
            if (res.status === 200) submissions.push({ siteId: site.id, id: (JSON.parse(res.body) as { id: string }).id, key, marker });
            else if (res.status !== 503) throw new Error(`submit answered ${res.status}: ${res.body}`);
          }
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // The server is down or died mid-request: not acknowledged, so nothing is owed.
          if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || (e as Error).message === 'socket hang up') {
            refused++;
            await sleep(20);
            continue;
          }
          throw e;
        }
      }
    };

    const integrity: string[] = [];
    const killer = async () => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(700 + Math.floor(rand() * 1200));
        const child = (platform as Platform).process;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
        const db = new DatabaseSync(join(dataDir, 'invoker.db'));
        try {
          integrity.push(String((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check));
        } finally {
          db.close();
        }
        platform = await startPlatform({ dataDir, env: ENV });
      }
      await sleep(500);
      running = false;
    };

    const started = Date.now();
    await Promise.all([killer(), ...Array.from({ length: CLIENTS }, (_, n) => client(n))]);
    const seconds = (Date.now() - started) / 1000;

    expect(integrity).toEqual(Array(KILLS).fill('ok'));
    expect(deploys.length).toBeGreaterThan(KILLS * 5);
    expect(submissions.length).toBeGreaterThan(KILLS * 5);

    // Every acknowledged deploy answers by id, is served by slug, and every acknowledged submission is listed.
    const port = platform.port;
    let lostDeploys = 0;
    for (const d of deploys) {
      const res = await httpRequest(port, { path: `/deploy/${d.id}`, headers: { authorization: `Bearer ${d.key}` } });
      const page = await httpRequest(port, { host: `${d.slug}.localhost:${port}`, path: '/' });
      if (res.status !== 200 || JSON.parse(res.body).slug !== d.slug || !page.body.includes(`<p>${d.marker}</p>`)) lostDeploys++;
    }
    const bySite = new Map<string, AckedSubmission[]>();
    for (const s of submissions) bySite.set(s.siteId, [...(bySite.get(s.siteId) ?? []), s]);
    let lostSubmissions = 0;
    for (const [siteId, expected] of bySite) {
      const found = new Map<string, unknown>();
      for (let page = 1; ; page++) {
        const res = await httpRequest(port, { path: `/submissions/${siteId}?limit=50&page=${page}`, headers: { authorization: `Bearer ${expected[0]!.key}` } });
        const body = JSON.parse(res.body) as { submissions: Array<{ id: string; data: { marker: string } }>; total: number };
        for (const s of body.submissions) found.set(s.id, s.data.marker);
        if (body.submissions.length < 50) break;
      }
      for (const s of expected) if (found.get(s.id) !== s.marker) lostSubmissions++;
    }
    const db = new DatabaseSync(join(dataDir, 'invoker.db'));
    const finalCheck = (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
    db.close();
    console.log(
      `[figures] crash: ${KILLS} SIGKILLs survived in ${seconds.toFixed(1)} s, ${attempts} client requests (${refused} refused while down), ` +
        `${deploys.length} deploys and ${submissions.length} submissions acknowledged, lost: ${lostDeploys} deploys, ${lostSubmissions} submissions, integrity ${finalCheck}`,
    );
    expect(finalCheck).toBe('ok');
    expect(lostDeploys).toBe(0);
    expect(lostSubmissions).toBe(0);
  });
});
