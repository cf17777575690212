// CPU profiles of serve (node --cpu-prof) under the serving and the /me loads: where the time goes.
// Informational: no target, so no met/not-met rows.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { summarise } from './lib/cpu-profile.js';
import { autocannon } from './lib/load.js';
import { htmlPage } from './lib/pages.js';
import { apiDeploy } from './lib/platform.js';
import { createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { perSecond, pick } from './lib/stats.js';

async function profiled(label: string, load: (url: string, port: number, key: string) => Promise<number>): Promise<string[]> {
  const dir = await tempDir('prof');
  const serve = await startServe({ nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  let rps = 0;
  try {
    const key = await createKey(serve.dataDir);
    rps = await load(serve.url, serve.port, key);
  } finally {
    await serve.stop();
  }
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`serve wrote no CPU profile into ${dir}`);
  const { frames, areas } = summarise(join(dir, file));
  await rm(dir, { recursive: true, force: true });
  return [
    `**${label}** (${perSecond(rps)} while profiled). Self time by area: ` + areas.map((a) => `${a.area} ${a.selfPercent.toFixed(1)}%`).join(', ') + '.',
    ['| self % | function | where |', '| ---: | --- | --- |', ...frames.map((f) => `| ${f.selfPercent.toFixed(1)} | \`${f.name}\` | ${f.where || '(native)'} |`)].join('\n'),
  ];
}

export async function run(): Promise<Section> {
  const seconds = pick(8, 3);
  const html = htmlPage(10 * 1024, 'profile');
  const serving = await profiled(`Serving the live 10 KB page, 64 connections, ${seconds} s`, async (url, port, key) => {
    await apiDeploy(url, key, { slug: 'bench-page', html, publish: true });
    const r = await autocannon({ url: `${url}/`, connections: 64, seconds, headers: { host: `bench-page.localhost:${port}` } });
    return r.requestsPerSecond;
  });
  const me = await profiled(`Authenticated GET /me, 64 connections, ${seconds} s`, async (url, _port, key) => {
    const r = await autocannon({ url: `${url}/me`, connections: 64, seconds, headers: { authorization: `Bearer ${key}` } });
    return r.requestsPerSecond;
  });
  return {
    name: 'profile',
    title: 'CPU profiles of serve under load (node --cpu-prof)',
    rows: [],
    notes: [
      'Self time as a share of all samples of the serve process over its whole life (start-up is under 1 s of it). "(program)" is V8 and native work not attributed to a JS function; "(idle)" is the event loop waiting.',
      ...serving,
      ...me,
    ],
  };
}
