// Graceful shutdown: SIGTERM while a deploy is half-uploaded. The server stops accepting connections
// at once, finishes the request in flight (the deploy is acknowledged and kept), closes the store
// (SQLite checkpoints and removes its WAL) and exits 0.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('graceful shutdown', () => {
  let platform: Platform | undefined;
  let dataDir = '';

  afterAll(async () => {
    await platform?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the store and exits 0', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'invoker-shutdown-'));
    const bootstrap = { port: 0, dataDir } as Platform;
    const key = await createKey(bootstrap, 'term@example.com');
    platform = await startPlatform({ dataDir });
    const { port } = platform;
    const child = platform.process;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

    // A deploy of ~2 MB, sent in two halves with the SIGTERM in between.
    const body = Buffer.from(JSON.stringify({ slug: 'in-flight', html: `<p>in flight</p>${'x'.repeat(2_000_000)}` }));
    let resolveAnswer: (r: { status: number; body: string }) => void = () => {};
    const answer = new Promise<{ status: number; body: string }>((resolve) => (resolveAnswer = resolve));
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/deploy',
        headers: { host: `localhost:${port}`, authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': body.byteLength, connection: 'close' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: text }));
      },
    );
    const failed = new Promise<never>((_, reject) => req.once('error', reject));
    req.write(body.subarray(0, body.byteLength / 2));
    await sleep(300);
    child.kill('SIGTERM');
    await sleep(300);

    expect(await canConnect(port)).toBe(false);
    expect(child.exitCode).toBeNull();

    req.end(body.subarray(body.byteLength / 2));
    const res = await Promise.race([answer, failed]);
    expect(res.status).toBe(201);
    const site = JSON.parse(res.body) as { id: string };

    expect(await exited).toBe(0);
    expect(platform.stderr()).toMatch(/Shutting down/);
    // The store was closed cleanly: the WAL was checkpointed into the database and removed.
    const wal = join(dataDir, 'invoker.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new DatabaseSync(join(dataDir, 'invoker.db'), { readOnly: true });
    expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    expect(db.prepare('SELECT slug FROM sites WHERE id = ?').get(site.id)).toEqual({ slug: 'in-flight' });
    db.close();

    // And it comes back serving the acknowledged deploy.
    platform = await startPlatform({ dataDir });
    const page = await httpRequest(platform.port, { host: `in-flight.localhost:${platform.port}`, path: '/' });
    expect(page.body).toContain('<p>in flight</p>');
  });
});
