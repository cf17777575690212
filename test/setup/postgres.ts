// Vitest global setup: a throwaway PostgreSQL cluster for the PostgreSQL variants of the store
// contract suite and the end-to-end tests, so `npm test` stays the one command.
// TEST_DATABASE_URL set: use that server (each test file creates and drops its own database).
// Otherwise, when PostgreSQL's binaries are installed (Debian: apt-get install postgresql), start a
// cluster in a temp dir on a free 127.0.0.1 port, as a non-root user (initdb refuses root), and stop
// it at the end. Without either, the PostgreSQL tests fail with a message saying how to get one.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findBinDir(): string | null {
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

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const bin = findBinDir();
  if (!bin) return undefined;

  const asRoot = process.getuid?.() === 0;
  const user = process.env.PG_TEST_USER ?? 'postgres';
  // root: run the cluster as the unprivileged user (the Debian package creates `postgres`).
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', user, '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });

  const dir = mkdtempSync(join(tmpdir(), 'invoker-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'invoker\n', { mode: 0o644 });
  run('initdb', ['-D', data, '-U', 'invoker', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C']);
  run('pg_ctl', [
    '-D', data, '-l', join(dir, 'log'), '-w', '-t', '30',
    '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`,
    'start',
  ]);
  process.env.TEST_DATABASE_URL = `postgres://invoker:invoker@127.0.0.1:${port}/postgres`;
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
