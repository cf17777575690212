// Reads a file or a folder from disk into a deploy body for `invoker-mcp deploy PATH`: text files
// as utf-8, everything else as base64; hidden files and node_modules are left out.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { AppError } from '../errors.js';
import type { SiteFile } from '../contract/sites.js';

const TEXT_EXTENSIONS = new Set([
  '.html', '.htm', '.css', '.js', '.mjs', '.json', '.map', '.txt', '.md', '.csv', '.xml', '.svg', '.webmanifest',
]);
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface ReadProgress {
  (event: { files: number; bytes: number }): void;
}

export async function readSite(path: string, onProgress?: ReadProgress): Promise<{ html?: string; files?: SiteFile[]; bytes: number }> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new AppError('invalid_input', `Cannot read ${path}: no such file or folder. Give the path of an .html file or of a site folder.`);
  }
  if (info.isFile()) {
    if (!['.html', '.htm'].includes(extname(path).toLowerCase())) {
      throw new AppError('invalid_input', `${basename(path)} is not an HTML file. Deploy an .html file, or a folder with an index.html.`);
    }
    const html = await readFile(path, 'utf8');
    return { html, bytes: Buffer.byteLength(html) };
  }
  const files: SiteFile[] = [];
  let bytes = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const content = await readFile(full);
        const relPath = relative(path, full).split(sep).join('/');
        const text = TEXT_EXTENSIONS.has(extname(entry.name).toLowerCase());
        files.push(text ? { path: relPath, content: content.toString('utf8') } : { path: relPath, content: content.toString('base64'), encoding: 'base64' });
        bytes += content.byteLength;
        onProgress?.({ files: files.length, bytes });
      }
    }
  };
  await walk(path);
  if (!files.some((f) => f.path === 'index.html')) {
    throw new AppError('invalid_input', `${path} has no index.html at its top level: that is the page "/" serves. Add one and deploy again.`);
  }
  return { files, bytes };
}
