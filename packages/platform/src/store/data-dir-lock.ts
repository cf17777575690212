// One `serve` per SQLite data dir (SPEC section 10). Two processes on one file would each cache what
// the other changes: a key revoked through one still works on the other. The lock is an exclusive
// SQLite lock on DIR/serve.lock, held by an open transaction for the life of the process: the
// operating system drops it however the process ends (kill -9 included), and unlike a pid file it
// means the same inside containers, where every process is pid 1. `admin` commands never take it;
// they work on invoker.db beside a running serve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from 'invoker-mcp/errors.js';

/** AppError.details.reason of the refusal, so the CLI can exit 1 as the SPEC says. */
export const DATA_DIR_BUSY = 'data_dir_busy';

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(join(dataDir, 'serve.lock'));
  try {
    // Never wait: a second serve should say so at once, not after a timeout.
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (/locked|busy/i.test((e as Error).message)) {
      throw new AppError('conflict', `another invoker-mcp serve is using ${dataDir}: stop it or pass another --data-dir`, { reason: DATA_DIR_BUSY });
    }
    throw e;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
