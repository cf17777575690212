import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServerSecret, loadServerSecret } from './server-secret.js';

const A = createServerSecret('a'.repeat(43));
const B = createServerSecret('b'.repeat(43));

describe('the server secret', () => {
  it('signs per purpose: a MAC verifies for its data and purpose only, and only under the same secret', () => {
    const mac = A.sign('site-password', 'dep_1:v3');
    expect(A.verify('site-password', 'dep_1:v3', mac)).toBe(true);
    expect(A.verify('site-password', 'dep_1:v4', mac)).toBe(false);
    expect(A.verify('pow', 'dep_1:v3', mac)).toBe(false);
    expect(B.verify('site-password', 'dep_1:v3', mac)).toBe(false);
    expect(A.verify('site-password', 'dep_1:v3', `${mac}x`)).toBe(false);
    expect(A.verify('site-password', 'dep_1:v3', '')).toBe(false);
  });

  it('seals so that only the same secret and purpose unseal, and a changed byte is refused', () => {
    const sealed = A.seal('webhook-secret', 'whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(A.seal('webhook-secret', 'whsec_abc')).not.toBe(sealed);
    expect(A.unseal('webhook-secret', sealed)).toBe('whsec_abc');
    expect(A.unseal('signed-url', sealed)).toBeNull();
    expect(B.unseal('webhook-secret', sealed)).toBeNull();
    const [v, nonce, body] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(A.unseal('webhook-secret', `${v}.${nonce}.${flipped.toString('base64url')}`)).toBeNull();
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', 'v1.AAAA.AAAA']) expect(A.unseal('webhook-secret', junk)).toBeNull();
  });

  it('is generated once into the data dir (0600) for the embedded store, and read back on the next start', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'invoker-secret-')), 'data');
    const first = await loadServerSecret({ configured: undefined, dataDir, shared: false });
    const file = join(dataDir, 'server-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).length).toBeGreaterThanOrEqual(43);
    const again = await loadServerSecret({ configured: undefined, dataDir, shared: false });
    expect(again.verify('pow', 'x', first.sign('pow', 'x'))).toBe(true);
    // Several starting at once agree on one secret.
    const many = await Promise.all(Array.from({ length: 5 }, () => loadServerSecret({ configured: undefined, dataDir: join(dataDir, 'b'), shared: false })));
    const mac = many[0]!.sign('pow', 'y');
    for (const s of many) expect(s.verify('pow', 'y', mac)).toBe(true);
  });

  it('must be set for a shared (PostgreSQL) store, and be long enough wherever it is set', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'invoker-secret-'));
    await expect(loadServerSecret({ configured: undefined, dataDir, shared: true })).rejects.toThrow(/Set INVOKER_SECRET .* the same on every instance/);
    await expect(loadServerSecret({ configured: 'short', dataDir, shared: true })).rejects.toThrow(/at least 32 characters/);
    const set = await loadServerSecret({ configured: 'c'.repeat(40), dataDir, shared: true });
    expect(set.verify('pow', 'z', createServerSecret('c'.repeat(40)).sign('pow', 'z'))).toBe(true);
  });

  it('refuses a damaged secret file with a message saying what to do', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'invoker-secret-'));
    await writeFile(join(dataDir, 'server-secret'), 'tiny');
    await expect(loadServerSecret({ configured: undefined, dataDir, shared: false })).rejects.toThrow(/Restore it from a backup, or set INVOKER_SECRET/);
  });
});
