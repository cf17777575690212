// File I/O for client configs, kept at the edge: read (absent = empty), a backup copy before any
// change, and an atomic replace (temp file in the same folder, fsync, rename) so a client that
// reads the file mid-write never sees half of it.
import { copyFile, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { replaceFileAtomically } from '../atomic-file.js';
import { AppError } from '../errors.js';

/** The file's text, or undefined when it does not exist yet. */
export async function readConfigFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('config', `Cannot read ${path}: ${(e as Error).message}. Check its permissions, then run the command again.`);
  }
}

/** Copies the file beside itself as `<name>.<timestamp>.bak` and returns that path. */
export async function backupConfigFile(path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dirname(path), `${basename(path)}.${stamp}.bak`);
  await copyFile(path, target);
  return target;
}

/**
 * Replaces the file's content atomically, keeping its permission bits (0600 for a new file). A
 * symlink (dotfile managers) is followed, so the link stays a link and its target gets the change.
 */
export async function writeConfigFileAtomic(linkOrPath: string, text: string): Promise<void> {
  const path = await realpath(linkOrPath).catch(() => linkOrPath);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  let mode = 0o600;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    // New file: it may hold an API key, so only its owner reads it.
  }
  await replaceFileAtomically(path, text, mode);
}
