// Replacing a file so that a reader sees the old contents or the new, never half of either: write
// a temp file beside it, fsync, rename over the target. Used for the credentials file and the
// files it sits beside (auth/credentials.ts) and for MCP clients' config files (install/).
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `path` atomically with permission bits `mode`; the folder must exist. */
export async function replaceFileAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' creates a new file (the mode applies) and never follows an existing file or symlink.
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // open()'s mode passes through the umask: set the bits exactly.
    if (process.platform !== 'win32') await chmod(temp, mode);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
