import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
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

  it('follows a symbolic link that stays inside the folder and refuses one that leaves it, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-'));
    await mkdir(join(dir, 'css'));
    await writeFile(join(dir, 'index.html'), '<h1>Home</h1>');
    await writeFile(join(dir, 'css', 'site.css'), 'h1{}');
    await symlink(join(dir, 'css', 'site.css'), join(dir, 'alias.css'));
    // A link back to the folder itself is walked once, not forever.
    await symlink(dir, join(dir, 'loop'));
    expect((await readSite(dir)).files?.map((f) => f.path)).toEqual(['alias.css', 'css/site.css', 'index.html']);
    await symlink('/etc/passwd', join(dir, 'passwd'));
    await expect(readSite(dir)).rejects.toThrow(/passwd is a symbolic link to \/etc\/passwd, outside/);
  });

  it('checks the limits from file sizes before reading anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-'));
    await writeFile(join(dir, 'index.html'), '<h1>Home</h1>');
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(2048));
    const limits = { maxFileBytes: 1024, maxDeployBytes: 10_000, maxFiles: 10 };
    const seen: number[] = [];
    await expect(readSite(dir, (p) => seen.push(p.files), limits)).rejects.toThrow(/big\.bin is 0 MB; the limit is 0 MB per file\. Nothing was sent/);
    expect(seen).toEqual([]);
    await expect(readSite(dir, undefined, { ...limits, maxFileBytes: 4096, maxDeployBytes: 2000 })).rejects.toThrow(/over 0 MB in total/);
    await expect(readSite(dir, undefined, { ...limits, maxFileBytes: 4096, maxFiles: 1 })).rejects.toThrow(/more than 1 files/);
    await expect(readSite(join(dir, 'index.html'), undefined, { ...limits, maxFileBytes: 4 })).rejects.toThrow(/per file/);
  });
});
