// A throwaway PostgreSQL cluster on a free 127.0.0.1 port, for the tests (test/setup/postgres.ts) and
// the benchmarks (bench/). Needs PostgreSQL's server binaries (Debian: apt-get install postgresql).
// initdb refuses root, so as root the cluster runs as an unprivileged user (`postgres`, which the
// Debian package creates). `durable: false` turns fsync off: right for tests, wrong for benchmarks.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  /** postgres://invoker:invoker@127.0.0.1:{port}/postgres (a superuser, so it may CREATE DATABASE). */
  url: string;
  stop(): void;
}

export function findPostgresBinDir(): string | null {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return path ? path.replace(/\/initdb$/, '') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a cluster, or returns null when PostgreSQL's binaries are not installed. */
export async function startThrowawayCluster(options: { durable: boolean; user?: string }): Promise<Cluster | null> {
  const bin = findPostgresBinDir();
  if (!bin) return null;
  const asRoot = process.getuid?.() === 0;
  const user = options.user ?? process.env.PG_TEST_USER ?? 'postgres';
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', user, '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });

  const dir = mkdtempSync(join(tmpdir(), 'invoker-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'invoker\n', { mode: 0o644 });
  run('initdb', ['-D', data, '-U', 'invoker', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C']);
  const settings = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=300${settings}`, 'start']);
  return {
    url: `postgres://invoker:invoker@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
