// Reads a file or a folder from disk into a deploy body, for `invoker-mcp deploy PATH` and the
// stdio deploy/update tools' `path` (one set of rules for both): text files as utf-8, everything
// else as base64; hidden files and node_modules left out; a symbolic link followed only while it
// stays inside the folder; the deploy limits checked from file sizes before anything is read or sent.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
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

/** What a deploy may hold (the platform's INVOKER_MAX_FILE_MB, INVOKER_MAX_DEPLOY_MB, INVOKER_MAX_FILES). */
export interface ReadLimits {
  maxFileBytes: number;
  maxDeployBytes: number;
  maxFiles: number;
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export async function readSite(path: string, onProgress?: ReadProgress, limits?: ReadLimits): Promise<{ html?: string; files?: SiteFile[]; bytes: number }> {
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
    if (limits && info.size > limits.maxFileBytes) {
      throw new AppError('too_large', `${path} is ${megabytes(info.size)}; the limit is ${megabytes(limits.maxFileBytes)} per file.`);
    }
    const html = await readFile(path, 'utf8');
    return { html, bytes: Buffer.byteLength(html) };
  }
  // Every file is found and sized first, so a folder over the limits is refused before any is read.
  const root = await realpath(path);
  const found: Array<{ full: string; relPath: string }> = [];
  let bytes = 0;
  const visited = new Set<string>([root]);
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      const full = join(dir, entry.name);
      const relPath = relative(root, full).split(sep).join('/');
      let target = full;
      if (entry.isSymbolicLink()) {
        target = await realpath(full).catch(() => {
          throw new AppError('invalid_input', `${relPath} is a symbolic link to something that does not exist: remove it, or replace it with the file.`);
        });
        if (target !== root && !target.startsWith(root + sep)) {
          throw new AppError('invalid_input', `${relPath} is a symbolic link to ${target}, outside ${path}: links must stay inside the folder. Copy the file in instead, or remove the link.`);
        }
      }
      const kind = entry.isSymbolicLink() ? await stat(target) : entry;
      if (kind.isDirectory()) {
        // A link back to a folder already walked would loop.
        if (visited.has(target)) continue;
        visited.add(target);
        await walk(full);
      } else if (kind.isFile()) {
        const size = (await stat(target)).size;
        if (limits) {
          if (size > limits.maxFileBytes) throw new AppError('too_large', `${relPath} is ${megabytes(size)}; the limit is ${megabytes(limits.maxFileBytes)} per file. Nothing was sent.`);
          if (found.length + 1 > limits.maxFiles) throw new AppError('too_large', `${path} holds more than ${limits.maxFiles} files (the limit per deploy). Nothing was sent.`);
          if (bytes + size > limits.maxDeployBytes) throw new AppError('too_large', `${path} is over ${megabytes(limits.maxDeployBytes)} in total (the limit per deploy). Nothing was sent.`);
        }
        bytes += size;
        found.push({ full: target, relPath });
      }
    }
  };
  await walk(root);
  if (!found.some((f) => f.relPath === 'index.html')) {
    throw new AppError('invalid_input', `${path} has no index.html at its top level: that is the page "/" serves. Add one and deploy again.`);
  }
  const files: SiteFile[] = [];
  let read = 0;
  for (const { full, relPath } of found) {
    const content = await readFile(full);
    const text = TEXT_EXTENSIONS.has(extname(relPath).toLowerCase());
    files.push(text ? { path: relPath, content: content.toString('utf8') } : { path: relPath, content: content.toString('base64'), encoding: 'base64' });
    read += content.byteLength;
    onProgress?.({ files: files.length, bytes: read });
  }
  return { files, bytes: read };
}
