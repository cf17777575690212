// Starting the baseline servers: the minimal node:http ones (baseline-server.ts, own process)
// and nginx from Debian when installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

function freePort(): Promise<number> {
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

export function nginxVersion(bin: string): string {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return (r.stderr || r.stdout).trim().replace(/^nginx version:\s*/, '');
}

/** nginx serving one file for every path, in the foreground, with its own prefix in a temp dir. */
export async function startNginx(bin: string, body: Buffer): Promise<Baseline> {
  const dir = await tempDir('nginx');
  await mkdir(join(dir, 'html'));
  await mkdir(join(dir, 'logs'));
  await writeFile(join(dir, 'html', 'index.html'), body);
  const port = await freePort();
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  await writeFile(
    join(dir, 'nginx.conf'),
    `${user}daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/html;
    location / { try_files /index.html =404; default_type "text/html; charset=utf-8"; }
  }
}
`,
  );
  await mkdir(join(dir, 'tmp'));
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // nginx prints nothing when it is ready: poll the port.
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(50);
  }
  const stop = stopper(child);
  return {
    port,
    pid: child.pid!,
    async stop() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
