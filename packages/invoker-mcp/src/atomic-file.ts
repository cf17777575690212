// Replacing a file so that a reader sees the old contents or the new, never half of either: write
// a temp file beside it, fsync, rename over the target. Used for the credentials file and the
// files it sits beside (auth/credentials.ts) and for MCP clients' config files (install/).
import { randomBytes } from 'node:crypto';
import { chmod, link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A complete, fsynced temp file beside `path` with exactly the bits `mode`; the caller moves or removes it. */
async function writeTemp(path: string, text: string, mode: number): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' creates a new file (the mode applies) and never follows an existing file or symlink.
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    // open()'s mode passes through the umask: set the bits exactly.
    if (process.platform !== 'win32') await chmod(temp, mode);
  } catch (e) {
    await handle.close();
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  return temp;
}

/** Writes `text` to `path` atomically with permission bits `mode`; the folder must exist. */
export async function replaceFileAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = await writeTemp(path, text, mode);
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Like replaceFileAtomically, but only if `path` does not exist: of several processes creating it at
 * once exactly one succeeds (true); the others write nothing (false). A hard link of the complete temp
 * file is that test-and-create, so nobody ever reads a half-written file.
 */
export async function createFileAtomically(path: string, text: string, mode: number): Promise<boolean> {
  const temp = await writeTemp(path, text, mode);
  try {
    await link(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(temp, { force: true });
  }
}
