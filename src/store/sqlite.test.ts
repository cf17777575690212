// SQLite-only behaviour of the group commit (SqliteStore.groupCommitted); the shared behaviour of
// concurrent deploys, on both backends, is in test/store-contract.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../contract/ids.js';
import { SqliteStore } from './sqlite.js';
import type { DeployInput } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function input(orgId: string, slug: string, i: number): DeployInput {
  return {
    orgId,
    newSiteId: newId('dep'),
    slug,
    metadata: { title: `v${i}`, description: null, favicon: null, isSpa: false },
    previewToken: `token${String(i).padStart(11, '0')}`,
    files: [{ path: '/index.html', contentType: 'text/html; charset=utf-8', etag: `"e${i}"`, body: new TextEncoder().encode(`<h1>${i}</h1>`) }],
    publish: true,
    maxSites: 100,
    now: new Date().toISOString(),
  };
}

describe('SqliteStore group commit', () => {
  it('commits deploys accepted before close(), so none is lost by a graceful shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoker-sqlite-'));
    dirs.push(dir);
    const path = join(dir, 'invoker.db');
    const store = new SqliteStore(path);
    const { org } = await store.ensureUser('close@example.com', new Date().toISOString());
    // Not awaited: all ten wait in the group when close() begins.
    const deploys = Array.from({ length: 10 }, (_, i) => store.deploy(input(org.id, 'closing', i + 1)));
    await store.close();
    const sites = await Promise.all(deploys);
    expect(sites.map((s) => s.latestVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const reopened = new SqliteStore(path);
    try {
      const site = await reopened.findSiteBySlug('closing');
      expect(site?.liveVersion).toBe(10);
      const file = await reopened.getFile(site!.id, 10, '/index.html');
      expect(new TextDecoder().decode(file!.body)).toBe('<h1>10</h1>');
    } finally {
      await reopened.close();
    }
  });

  it('answers a deploy after close() with an error, not a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoker-sqlite-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'invoker.db'));
    const { org } = await store.ensureUser('late@example.com', new Date().toISOString());
    await store.close();
    await expect(store.deploy(input(org.id, 'late', 1))).rejects.toThrow(/not open/i);
  });
});
