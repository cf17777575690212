// In-process platform for protocol-level tests: createApp over a real SQLite store, requests
// through app.request() (no port), and fixtures of users, orgs and keys made through the store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../packages/platform/src/server/app.js';
import type { AppDeps } from '../../packages/platform/src/server/context.js';
import type { Mailer } from '../../packages/platform/src/server/mailer.js';
import { issueApiKey } from '../../packages/platform/src/services/keys.js';
import { createRateLimiter } from '../../packages/platform/src/server/rate-limit.js';
import { DEFAULT_LIMITS } from '../../packages/platform/src/config.js';
import { platformUrls } from '../../packages/platform/src/services/urls.js';
import { CachedStore } from '../../packages/platform/src/store/cached-store.js';
import { PostgresStore } from '../../packages/platform/src/store/postgres.js';
import { SqliteStore } from '../../packages/platform/src/store/sqlite.js';
import { createServerSecret } from '../../packages/platform/src/server-secret.js';
import { createTestDatabase, TEST_SERVER_SECRET } from './postgres.js';
import { recordingApp } from './responses.js';
import type { OrgRecord } from '../../packages/platform/src/store/store.js';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  store: CachedStore;
  dbPath: string;
  deps: AppDeps;
  /** JSON request with an optional key; returns status, parsed body and headers. */
  call(method: string, path: string, options?: { key?: string; body?: unknown; ip?: string; headers?: Record<string, string> }): Promise<{
    status: number;
    body: any;
    headers: Headers;
  }>;
}

async function loopbackOnly(hostname: string): Promise<Array<{ address: string; family: 4 | 6 }>> {
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw new Error(`getaddrinfo ENOTFOUND ${hostname} (tests resolve only localhost)`);
}

type Overrides = { rateLimit?: number; trustProxy?: number; submissionLimit?: number; mailer?: Mailer; allowPrivateFetch?: boolean };

/**
 * The same app on a fresh store of either backend (PostgreSQL: a fresh database, through the cache
 * as `serve` configures it for PostgreSQL). close() drops what it made.
 */
export async function openTestApp(backend: 'sqlite' | 'postgres', overrides: Overrides = {}): Promise<OpenedTestApp> {
  if (backend === 'sqlite') {
    const t = createTestApp(overrides);
    return withClose(t, () => t.store.close());
  }
  const db = await createTestDatabase();
  const store = new CachedStore(await PostgresStore.open(db.url), undefined, { shared: true });
  return withClose(createTestApp(overrides, store), async () => (await store.close(), await db.drop()));
}

/** Closable by hand or with `await using`. */
export type OpenedTestApp = TestApp & { close(): Promise<void>; [Symbol.asyncDispose](): Promise<void> };

function withClose(t: TestApp, close: () => Promise<void>): OpenedTestApp {
  return { ...t, close, [Symbol.asyncDispose]: close };
}

export function createTestApp(overrides: Overrides = {}, onStore?: CachedStore): TestApp {
  const dbPath = onStore ? '' : join(mkdtempSync(join(tmpdir(), 'invoker-app-')), 'invoker.db');
  // Through the same read cache `serve` uses, so tests prove that mutations invalidate it.
  const store = onStore ?? new CachedStore(new SqliteStore(dbPath));
  const deps: AppDeps = {
    store,
    urls: platformUrls('http://localhost:8787', 'localhost:8787'),
    limits: structuredClone(DEFAULT_LIMITS),
    now: () => new Date(),
    log: { info() {}, warn() {}, error: (m) => process.stderr.write(`${m}\n`) },
    apiRateLimiter: createRateLimiter({ limit: overrides.rateLimit ?? 1_000_000, windowMs: 60_000 }),
    submissionLimiter: createRateLimiter({ limit: overrides.submissionLimit ?? 10, windowMs: 60_000 }),
    trustProxy: overrides.trustProxy ?? 0,
    mailer: overrides.mailer,
    secret: createServerSecret(TEST_SERVER_SECRET),
    // Tests talk only to loopback: a name other than localhost (a hostile client_id URL, say) does
    // not resolve, at once, instead of waiting on the system resolver.
    outbound: { allowPrivate: overrides.allowPrivateFetch ?? false, resolve: loopbackOnly },
    // Likewise a custom domain's TXT record: none, at once (test/e2e/domains.test.ts asks a real DNS server).
    resolveTxt: async () => {
      throw Object.assign(new Error('no TXT records in tests'), { code: 'ENODATA' });
    },
  };
  // Every answer is recorded for the OpenAPI conformance check (helpers/responses.ts).
  const app = recordingApp(createApp(deps));
  return {
    app,
    store,
    dbPath,
    deps,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { host: 'localhost:8787', ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.request(
        path,
        { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
        { incoming: { socket: { remoteAddress: options.ip ?? '127.0.0.1' } } },
      );
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a hosted page): keep the text.
      }
      return { status: res.status, body, headers: res.headers };
    },
  };
}

export interface Tenant {
  org: OrgRecord;
  key: string;
  userId: string;
}

export async function createTenant(t: TestApp, email: string): Promise<Tenant> {
  const now = new Date().toISOString();
  const { user, org } = await t.store.ensureUser(email, now);
  const { key } = await issueApiKey(t.store, { orgId: org.id, userId: user.id, name: 'test', now });
  return { org, key, userId: user.id };
}

export async function createSubTenant(t: TestApp, parent: Tenant, name: string): Promise<Tenant> {
  const now = new Date().toISOString();
  const org = await t.store.createSubOrg({ parentId: parent.org.id, name, ownerUserId: parent.userId, now });
  const { key } = await issueApiKey(t.store, { orgId: org.id, userId: parent.userId, name: 'test', now });
  return { org, key, userId: parent.userId };
}
