// Picks the store backend from the configuration: PostgreSQL when DATABASE_URL is a postgres URL,
// otherwise the embedded SQLite file in the data dir.
import { join } from 'node:path';
import { AppError } from 'invoker-mcp/errors.js';
import type { Logger } from '../logger.js';
import type { PostgresOptions } from './postgres.js';
import type { Store } from './store.js';

export interface StoreLocation {
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL's pool, statement timeout and listener (INVOKER_PG_*); defaults when unset. */
  postgres?: Omit<PostgresOptions, 'log'>;
  /** Where the store reports what it recovers from (PostgreSQL's connections). */
  log?: Logger;
}

export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'invoker.db');
}

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl && /^postgres(ql)?:\/\//.test(location.databaseUrl)) {
    // Loaded on demand, like node:sqlite below.
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(location.databaseUrl, { ...location.postgres, ...(location.log ? { log: location.log } : {}) });
  }
  if (location.databaseUrl) {
    throw new AppError('config', 'DATABASE_URL must start with postgres:// or postgresql://. Unset it to use SQLite.');
  }
  // Loaded on demand: the MCP server and client commands never touch node:sqlite.
  const { SqliteStore } = await import('./sqlite.js');
  return new SqliteStore(sqlitePath(location.dataDir));
}
