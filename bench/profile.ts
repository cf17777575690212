// CPU profiles (node --cpu-prof): serve under the serving, /me and deploy loads, and one MCP cold start.
// Informational: no target, so no met/not-met rows.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarise } from './lib/cpu-profile.js';
import { autocannon } from './lib/load.js';
import { htmlPage } from './lib/pages.js';
import { apiDeploy } from './lib/platform.js';
import { connect, invokerMcp } from './lib/mcp.js';
import { BIN, createKey, startServe, tempDir } from './lib/proc.js';
import type { Section } from './lib/report.js';
import { perSecond, pick } from './lib/stats.js';

async function readProfile(dir: string, label: string): Promise<string[]> {
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written into ${dir}`);
  const { frames, areas, scripts } = summarise(join(dir, file));
  await rm(dir, { recursive: true, force: true });
  const total = scripts.reduce((n, s) => n + s.count, 0);
  return [
    `**${label}**. Self time by area: ` +
      areas.map((a) => `${a.area} ${a.selfPercent.toFixed(1)}%`).join(', ') +
      `. Files from disk that ran code: ${total} (${scripts.map((s) => `${s.area} ${s.count}`).join(', ')}).`,
    ['| self % | function | where |', '| ---: | --- | --- |', ...frames.map((f) => `| ${f.selfPercent.toFixed(1)} | \`${f.name}\` | ${f.where || '(native)'} |`)].join('\n'),
  ];
}

/** One cold start of the MCP server (spawn → initialize → tools/list → close) under --cpu-prof. */
async function profiledColdStart(): Promise<string[]> {
  const dir = await tempDir('prof');
  const cmd = invokerMcp({ INVOKER_API_URL: 'http://127.0.0.1:9', INVOKER_API_KEY: 'inv_bench' });
  cmd.args = ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, BIN];
  const session = await connect(cmd);
  const tools = await session.client.listTools();
  await session.close();
  // The server writes its profile as it exits; give it a moment after stdin closes.
  for (let i = 0; i < 50 && !(await readdir(dir)).some((f) => f.endsWith('.cpuprofile')); i++) await new Promise((r) => setTimeout(r, 100));
  return readProfile(dir, `MCP server cold start: spawn → initialize → tools/list (${tools.tools.length} tools) → exit`);
}

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
  return readProfile(dir, `${label} (${perSecond(rps)} while profiled)`);
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
  const dir = await tempDir('prof-body');
  const bodyFile = join(dir, 'deploy.json');
  await writeFile(bodyFile, JSON.stringify({ slug: 'bench-deploy', html: htmlPage(20 * 1024, 'deploy'), publish: true }));
  const deploys = await profiled(`POST /deploy of a 20 KB page, 16 connections, ${seconds} s`, async (url, _port, key) => {
    const r = await autocannon({
      url: `${url}/deploy`,
      connections: 16,
      seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      bodyFile,
    });
    return r.requestsPerSecond;
  });
  await rm(dir, { recursive: true, force: true });
  const coldStart = await profiledColdStart();
  return {
    name: 'profile',
    title: 'CPU profiles (node --cpu-prof): serve under load, and one MCP cold start',
    rows: [],
    notes: [
      'Self time as a share of all samples of the serve process over its whole life (start-up is under 1 s of it). "(program)" is V8 and native work not attributed to a JS function; "(idle)" is the event loop waiting.',
      ...serving,
      ...me,
      ...deploys,
      ...coldStart,
    ],
  };
}
