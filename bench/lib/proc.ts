// Child processes for benchmarks: the built `invoker-mcp serve` on port 0 with a temp data dir,
// `admin create-key`, and memory readings from /proc. Everything listens on 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listeningUrl } from '../../scripts/serve-process.js';

/** Repository root (dist-bench/bench/lib → ../../..). */
export const ROOT = resolve(import.meta.dirname, '../../..');
export const BIN = join(ROOT, 'packages', 'invoker-mcp', 'bin', 'invoker-mcp.js');
/** Load runs must measure the server, not the limiter: INVOKER_RATE_LIMIT is raised for every serve we start. */
export const BENCH_RATE_LIMIT = '10000000';

/** Only the variables a child needs: a developer's INVOKER_* settings must not leak into a run. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `invoker-bench-${prefix}-`));
}

export interface Serve {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The backend the benchmarks run on: SQLite in each serve's data dir (null), or a PostgreSQL server,
 * on which every serve gets a fresh database of its own.
 */
let postgresServer: string | null = null;
const databaseOf = new Map<string, string>();

export function usePostgres(serverUrl: string | null): void {
  postgresServer = serverUrl;
}

export function backendName(): 'SQLite' | 'PostgreSQL' {
  return postgresServer ? 'PostgreSQL' : 'SQLite';
}

async function freshDatabase(): Promise<string> {
  const server = postgresServer as string;
  const name = `bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** DATABASE_URL of the store behind a data dir, when the benchmarks run on PostgreSQL. */
export function databaseUrlOf(dataDir: string): string | null {
  return databaseOf.get(dataDir) ?? null;
}

/** The PostgreSQL database behind a data dir (its backends name it in their command line). */
export function databaseName(dataDir: string): string | null {
  const url = databaseOf.get(dataDir);
  return url ? new URL(url).pathname.slice(1) : null;
}

/** DATABASE_URL (and the secret every instance shares) for the store behind a data dir, on PostgreSQL. */
function storeEnv(dataDir: string): Record<string, string> {
  const url = databaseOf.get(dataDir);
  return url ? { DATABASE_URL: url, INVOKER_SECRET: 'bench-secret-shared-by-every-instance-0123456789' } : {};
}

export async function startServe(options: { dataDir?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<Serve> {
  const dataDir = options.dataDir ?? (await tempDir('serve'));
  if (postgresServer && !databaseOf.has(dataDir)) databaseOf.set(dataDir, await freshDatabase());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: cleanEnv({ INVOKER_RATE_LIMIT: BENCH_RATE_LIMIT, INVOKER_MAX_SITES: '10000000', ...storeEnv(dataDir), ...options.env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await listeningUrl(child, 30_000).url;
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    pid: child.pid!,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function runNode(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** `invoker-mcp admin create-key`, the way an operator makes the first key; creates the store when absent. */
export async function createKey(dataDir: string, email = 'bench@example.com'): Promise<string> {
  if (postgresServer && !databaseOf.has(dataDir)) databaseOf.set(dataDir, await freshDatabase());
  const result = await runNode([BIN, 'admin', 'create-key', email, '--data-dir', dataDir], storeEnv(dataDir));
  if (result.code !== 0) throw new Error(`admin create-key failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Resident memory of a live process, in bytes: current (VmRSS) and peak (VmHWM). Linux only. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
