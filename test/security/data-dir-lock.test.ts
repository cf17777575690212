// One `serve` per SQLite data dir (SPEC section 10), with two real serve processes. Two on one file
// used to run side by side and disagree: a key revoked through one still worked on the other, a
// publish through one left the other serving the old version. The second now exits 1 and says why;
// `admin` still works beside the first; the lock goes when the holder dies, however it dies; and
// PostgreSQL, where any number of instances share one database, takes no lock at all.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { createTestDatabase } from '../helpers/postgres.js';

/** A second serve: it must exit by itself; one still running after 15 s is a failure, not a hang. */
function secondServe(dataDir: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the second serve is still running after 15 s:\n${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const me = (platform: Platform, key: string) => httpRequest(platform.port, { path: '/me', headers: { authorization: `Bearer ${key}` } });

describe('one serve per SQLite data dir', () => {
  const started: Platform[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const p of started) await p.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second serve on the same data dir with exit 1 and the reason, until the first dies', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'invoker-lock-'));
    const first = await startPlatform({ dataDir });
    started.push(first);

    const second = await secondServe(dataDir);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(`invoker-mcp: another invoker-mcp serve is using ${dataDir}: stop it or pass another --data-dir\n`);

    // admin works on the store beside the running serve, and the serve sees what it wrote.
    const key = await createKey(first, 'beside@example.com');
    expect((await me(first, key)).status).toBe(200);
    expect(first.process.exitCode).toBeNull();

    // kill -9 leaves no chance to clean up: the operating system drops the lock all the same.
    const exited = new Promise((r) => first.process.once('exit', r));
    first.process.kill('SIGKILL');
    await exited;
    started.splice(started.indexOf(first), 1);
    const next = await startPlatform({ dataDir });
    started.push(next);
    expect((await me(next, key)).status).toBe(200);

    // Another data dir is another store: a serve there starts beside it.
    const elsewhere = await startPlatform();
    started.push(elsewhere);
    expect((await httpRequest(elsewhere.port, { path: '/healthz' })).status).toBe(200);
  });

  it('takes no lock on PostgreSQL, where several instances share one database (and one data dir)', async () => {
    const db = await createTestDatabase();
    const shared = await mkdtemp(join(tmpdir(), 'invoker-lock-pg-'));
    const env = db.env;
    try {
      const a = await startPlatform({ dataDir: shared, env });
      started.push(a);
      const b = await startPlatform({ dataDir: shared, env });
      started.push(b);
      const key = await createKey({ ...a, env }, 'shared@example.com');
      expect((await me(a, key)).status).toBe(200);
      expect((await me(b, key)).status).toBe(200);
      await a.stop();
      await b.stop();
    } finally {
      await db.drop();
      await rm(shared, { recursive: true, force: true });
    }
  });
});
