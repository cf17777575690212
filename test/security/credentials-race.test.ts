// Credentials under contention: 8 real processes writing and removing the credentials file at once
// through the built dist/auth/credentials.js, while this process reads it in a tight loop. Every
// observation is either no file, or complete JSON of one writer with mode 0600.
import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialsSchema } from '../../packages/invoker-mcp/src/auth/credentials.js';
import { ROOT } from '../helpers/platform.js';

const PROCESSES = 8;
const RUN_MS = 3_000;

const WORKER = `
const { writeCredentials, removeCredentials } = await import(process.env.CREDENTIALS_MODULE);
const dir = process.env.CONFIG_DIR;
const id = Number(process.env.WORKER_ID);
const end = Date.now() + Number(process.env.RUN_MS);
let writes = 0, removes = 0;
while (Date.now() < end) {
  if (Math.random() < 0.7) {
    await writeCredentials(dir, {
      api_key: 'inv_' + String(id).repeat(38).slice(0, 38),
      email: 'worker' + id + '@example.com',
      org_id: 'org_' + id,
      api_url: 'http://127.0.0.1:1',
      created_at: new Date().toISOString(),
      key_id: 'w' + id + '-' + writes,
    });
    writes++;
  } else {
    await removeCredentials(dir);
    removes++;
  }
}
process.stdout.write(JSON.stringify({ writes, removes }));
`;

describe('credentials file under 8 concurrent processes', () => {
  let root = '';
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('is always valid JSON with mode 0600, or absent', async () => {
    root = await mkdtemp(join(tmpdir(), 'invoker-cred-'));
    const configDir = join(root, 'config');
    const file = join(configDir, 'credentials.json');
    const moduleUrl = pathToFileURL(join(ROOT, 'packages/invoker-mcp/dist/auth/credentials.js')).href;
    const workers = Array.from({ length: PROCESSES }, (_, id) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER], {
        env: { PATH: process.env.PATH ?? '', CREDENTIALS_MODULE: moduleUrl, CONFIG_DIR: configDir, WORKER_ID: String(id), RUN_MS: String(RUN_MS) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
    });

    let reads = 0;
    let absent = 0;
    const bad: string[] = [];
    let done = false;
    const allDone = Promise.all(workers).finally(() => (done = true));
    while (!done) {
      // One open file: its mode and its content are of the same inode, even if a rename lands between.
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') bad.push(`open: ${(e as Error).message}`);
        absent++;
        reads++;
        continue;
      }
      try {
        const [info, text] = await Promise.all([handle.stat(), handle.readFile('utf8')]);
        reads++;
        if ((info.mode & 0o777) !== 0o600) bad.push(`mode ${(info.mode & 0o777).toString(8)}`);
        try {
          if (!CredentialsSchema.safeParse(JSON.parse(text)).success) bad.push(`not credentials: ${text.slice(0, 80)}`);
        } catch {
          bad.push(`not JSON (${text.length} chars): ${text.slice(0, 80)}`);
        }
      } finally {
        await handle.close();
      }
    }
    const results = await allDone;
    for (const r of results) expect(r.code, r.err).toBe(0);
    const totals = results.map((r) => JSON.parse(r.out) as { writes: number; removes: number });
    const writes = totals.reduce((n, t) => n + t.writes, 0);
    const removes = totals.reduce((n, t) => n + t.removes, 0);
    console.log(`[figures] credentials: ${PROCESSES} processes, ${writes} writes, ${removes} removes, ${reads} reads (${absent} absent), ${bad.length} bad`);
    expect(bad.slice(0, 10)).toEqual([]);
    expect(writes).toBeGreaterThan(100);
    expect(reads).toBeGreaterThan(100);
    // No temp files left behind, and the directory stays private.
    expect((await readdir(configDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await stat(configDir)).mode & 0o777).toBe(0o700);
  });
});
