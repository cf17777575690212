import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSite } from './read-site.js';

describe('readSite', () => {
  it('reads a folder: text as utf-8, binaries as base64, hidden files and node_modules skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-'));
    await mkdir(join(dir, 'img'));
    await mkdir(join(dir, 'node_modules'));
    await writeFile(join(dir, 'index.html'), '<h1>Home</h1>');
    await writeFile(join(dir, 'img', 'a.png'), Buffer.from([1, 2, 3]));
    await writeFile(join(dir, '.env'), 'SECRET=1');
    await writeFile(join(dir, 'node_modules', 'x.js'), '');
    const seen: number[] = [];
    const site = await readSite(dir, (p) => seen.push(p.files));
    expect(site.files).toEqual([
      { path: 'img/a.png', content: 'AQID', encoding: 'base64' },
      { path: 'index.html', content: '<h1>Home</h1>' },
    ]);
    expect(seen).toEqual([1, 2]);
  });

  it('refuses a folder without index.html, a non-HTML file and a missing path, saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-'));
    await writeFile(join(dir, 'about.html'), 'x');
    await expect(readSite(dir)).rejects.toThrow(/index\.html/);
    await expect(readSite(join(dir, 'nope'))).rejects.toThrow(/no such file/);
    await writeFile(join(dir, 'notes.txt'), 'x');
    await expect(readSite(join(dir, 'notes.txt'))).rejects.toThrow(/not an HTML file/);
  });
});
