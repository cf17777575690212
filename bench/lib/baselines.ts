// Starting the baseline servers: the minimal node:http ones (baseline-server.ts, own process)
// and nginx from Debian when installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cleanEnv, sleep, tempDir } from './proc.js';

export interface Baseline {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

export async function startNodeBaseline(mode: 'static' | 'fsync', arg: string): Promise<Baseline> {
  const script = join(import.meta.dirname, 'baseline-server.js');
  const child = spawn(process.execPath, [script, mode, arg], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`baseline ${mode} exited with ${code}`)));
  });
  return { port, pid: child.pid!, stop: stopper(child) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function nginxPath(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (existsSync(p)) return p;
  return null;
}

/** What a benchmark that needs nginx says when it is not installed. */
export const NGINX_MISSING = 'nginx is not installed: install it (Debian/Ubuntu: `apt-get install -y nginx`) and run the benchmarks again';

export function nginxVersion(bin: string): string {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return (r.stderr || r.stdout).trim().replace(/^nginx version:\s*/, '');
}

export interface Nginx extends Baseline {
  /** The pids of its master and worker processes, for CPU accounting. */
  pids(): number[];
}

/**
 * nginx in the foreground with its own prefix in a temp dir, `http` holding the given server and
 * upstream blocks; resolves once `probe` (a URL it serves) answers.
 */
async function runNginx(bin: string, dir: string, http: string, probe: string): Promise<Nginx> {
  await mkdir(join(dir, 'logs'), { recursive: true });
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  await writeFile(
    join(dir, 'nginx.conf'),
    `${user}daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  keepalive_requests 1000000;
${http}
}
`,
  );
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // nginx prints nothing when it is ready: poll.
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const ok = await fetch(probe).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(50);
  }
  const stop = stopper(child);
  return {
    port: Number(new URL(probe).port),
    pid: child.pid!,
    pids: () => [child.pid!, ...childrenOf(child.pid!)],
    async stop() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Processes whose parent is pid (nginx's workers). Linux only. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** nginx serving one file for every path. */
export async function startNginx(bin: string, body: Buffer): Promise<Nginx> {
  const dir = await tempDir('nginx');
  await mkdir(join(dir, 'html'));
  await writeFile(join(dir, 'html', 'index.html'), body);
  const port = await freePort();
  const server = `  server {
    listen 127.0.0.1:${port};
    root ${dir}/html;
    location / { try_files /index.html =404; default_type "text/html; charset=utf-8"; }
  }`;
  return runNginx(bin, dir, server, `http://127.0.0.1:${port}/`);
}

/**
 * nginx as the reverse proxy in front of `serve` instances: one listening port per upstream list,
 * each spreading requests over its instances (round robin, kept-alive connections), passing Host and
 * appending the client to X-Forwarded-For, as docs/SELF-HOSTING.md asks of a proxy.
 */
export async function startNginxProxy(bin: string, upstreams: number[][]): Promise<Nginx & { ports: number[] }> {
  const dir = await tempDir('nginx-proxy');
  const ports = await Promise.all(upstreams.map(() => freePort()));
  const blocks = upstreams.map(
    (servers, i) => `  upstream invoker${i} {
${servers.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${ports[i]};
    location / {
      proxy_pass http://invoker${i};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }`,
  );
  // GET /healthz through the first port: the platform answers it on any host.
  const nginx = await runNginx(bin, dir, blocks.join('\n'), `http://127.0.0.1:${ports[0]}/healthz`);
  return { ...nginx, ports };
}
