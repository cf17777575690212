// Form submissions with one webhook attached, against the same site without one (SPEC section 13):
// delivery is off the request path (the outbox row is written in the submission's transaction, the
// worker posts it afterwards), so a webhook should cost the submitter little. The receiver is a
// node:http server in this process answering 200; the worker delivers while the load runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alternate, autocannon } from './lib/load.js';
import { backendName, createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { ms, perSecond, pick } from './lib/stats.js';

export async function run(): Promise<Section> {
  const seconds = pick(5, 2);
  const warmupSeconds = 1;
  const rounds = pick(5, 1);
  const dir = await tempDir('forms');
  let delivered = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered++;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const serve = await startServe({ env: { INVOKER_ALLOW_PRIVATE_FETCH: '1', INVOKER_SUBMISSIONS_PER_MINUTE: '10000000' } });
  try {
    const key = await createKey(serve.dataDir);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const deploy = async (slug: string) => {
      const res = await fetch(`${serve.url}/deploy`, { method: 'POST', headers: auth, body: JSON.stringify({ html: '<form action="{{SUBMIT_URL}}"></form>', slug }) });
      return ((await res.json()) as { id: string }).id;
    };
    const plain = await deploy('bench-plain');
    const hooked = await deploy('bench-hooked');
    const created = await fetch(`${serve.url}/webhooks/${hooked}`, { method: 'POST', headers: auth, body: JSON.stringify({ url: hookUrl }) });
    if (created.status !== 201) throw new Error(`creating the webhook answered ${created.status}`);
    const body = join(dir, 'submission.json');
    await writeFile(body, JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', message: 'A short message, as a contact form sends it.' }));
    const load = (siteId: string) => () =>
      autocannon({ url: `${serve.url}/submit/${siteId}`, method: 'POST', bodyFile: body, headers: { 'content-type': 'application/json' }, connections: 32, seconds, warmupSeconds });
    const { without, withHook } = await alternate(rounds, { without: load(plain), withHook: load(hooked) });
    for (const [name, r] of Object.entries({ without, withHook })) {
      if (r.non2xx || r.errors) throw new Error(`${name} load had ${r.non2xx} non-2xx and ${r.errors} errors`);
    }
    const deliveredDuringLoad = delivered;
    const r = withHook.requestsPerSecond / without.requestsPerSecond;
    return {
      name: 'forms',
      title: `Form submissions with one webhook attached (${backendName()}, 32 connections; median of ${rounds} alternating rounds of ${seconds} s, each after ${warmupSeconds} s warm-up)`,
      rows: [
        {
          what: 'POST /submit/{id} with one webhook, req/s',
          ours: perSecond(withHook.requestsPerSecond),
          baseline: `no webhook ${perSecond(without.requestsPerSecond)}`,
          ratio: r,
          target: '≥ 0.8×',
          met: r >= 0.8,
          needed:
            'Each hooked submission adds one outbox row in its own transaction; the worker then claims, signs and posts it and records the attempt, ' +
            'on the same cores as the server. A slower ratio means the worker is taking CPU from requests: batch its claims and recordings.',
        },
      ],
      notes: [
        `p99: with the webhook ${ms(withHook.p99)}, without ${ms(without.p99)}; p50: ${ms(withHook.p50)} vs ${ms(without.p50)}. ` +
          `req/s per round: with ${withHook.rounds.join(', ')}; without ${without.rounds.join(', ')}. ` +
          `The receiver got ${deliveredDuringLoad.toLocaleString('en-US')} deliveries by the end of the load (the rest drain afterwards).`,
      ],
    };
  } finally {
    await serve.stop();
    await new Promise((r) => receiver.close(r));
    await rm(dir, { recursive: true, force: true });
  }
}
