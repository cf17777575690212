// A platform on a real port for the suites that walk the API's answers (test/e2e/api-answers*.test.ts):
// startServer() with the configuration `serve` would read from these variables, requests over
// node:http through httpRequest (so each answer is recorded for the OpenAPI conformance check), the
// log kept (the development mailer writes sign-in codes there), and store methods that can be made to
// wait for each other, to turn a race into a test that always takes the same turn.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServeConfig } from '../../packages/platform/src/config.js';
import { issueApiKey } from '../../packages/platform/src/services/keys.js';
import { startServer, type RunningServer } from '../../packages/platform/src/server/main.js';
import type { Store } from '../../packages/platform/src/store/store.js';
import { httpRequest, type HttpResult } from './platform.js';
import { createTestDatabase } from './postgres.js';
import { recordPlatformPort } from './responses.js';

export interface Sent {
  key?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent urlencoded. */
  form?: Record<string, string>;
  /** Sent as it is (with `type`). */
  raw?: string;
  type?: string;
  /** The client address, through X-Forwarded-For (the servers here trust one proxy hop). */
  ip?: string;
  headers?: Record<string, string>;
}

export interface Answer extends HttpResult {
  /** The body parsed as JSON, or undefined. */
  json: any;
}

/** Runs before a store method; `inner` is the store under the wrapper, for changes made "by another request". */
export type StoreHook = (args: unknown[], inner: Store) => Promise<void>;

export interface ApiServer {
  port: number;
  server: RunningServer;
  log: string[];
  /** Hooks on store methods, by name: set and delete them as a test needs. */
  hooks: Map<string, StoreHook>;
  call(method: string, path: string, sent?: Sent): Promise<Answer>;
  /** A new user with a personal org and a key for it. */
  tenant(email: string): Promise<{ key: string; orgId: string; userId: string }>;
  /** Run SQL on the server's PostgreSQL database (backend 'postgres' only). */
  databaseUrl?: string;
  stop(): Promise<void>;
}

export async function startApiServer(env: Record<string, string> = {}, backend: 'sqlite' | 'postgres' = 'sqlite'): Promise<ApiServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'invoker-answers-'));
  const db = backend === 'postgres' ? await createTestDatabase() : undefined;
  const log: string[] = [];
  const hooks = new Map<string, StoreHook>();
  const config = parseServeConfig({ port: '0', 'data-dir': dataDir }, { INVOKER_TRUST_PROXY: '1', ...env, ...(db ? db.env : {}) });
  const sink = (m: string) => log.push(m);
  const server = await startServer(config, { info: sink, warn: sink, error: sink }, { wrapStore: (store) => hooked(store, hooks) });
  recordPlatformPort(server.port);
  let ips = 0;
  return {
    port: server.port,
    server,
    log,
    hooks,
    ...(db ? { databaseUrl: db.url } : {}),
    async call(method, path, sent = {}) {
      const headers: Record<string, string> = { 'x-forwarded-for': sent.ip ?? `198.51.100.${(ips++ % 250) + 1}`, ...sent.headers };
      if (sent.key) headers.authorization = `Bearer ${sent.key}`;
      let body: string | undefined;
      if (sent.json !== undefined) [body, headers['content-type']] = [JSON.stringify(sent.json), 'application/json'];
      if (sent.form) [body, headers['content-type']] = [new URLSearchParams(sent.form).toString(), 'application/x-www-form-urlencoded'];
      if (sent.raw !== undefined) [body, headers['content-type']] = [sent.raw, sent.type ?? 'application/json'];
      const res = await httpRequest(server.port, { method, path, headers, ...(body === undefined ? {} : { body }) });
      let json: unknown;
      try {
        json = JSON.parse(res.body);
      } catch {
        // A page, a CSV file, or no body.
      }
      return { ...res, json };
    },
    async tenant(email) {
      const now = new Date().toISOString();
      const { user, org } = await server.store.ensureUser(email, now);
      const { key } = await issueApiKey(server.store, { orgId: org.id, userId: user.id, name: 'answers', now });
      return { key, orgId: org.id, userId: user.id };
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}

function hooked(store: Store, hooks: Map<string, StoreHook>): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...a: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const hook = hooks.get(String(name));
        // Untouched without a hook: some methods are not async (eachSubmission is an async iterator).
        return hook ? hook(args, target).then(() => method.apply(target, args)) : method.apply(target, args);
      };
    },
  });
}

/** The sign-in code the development mailer logged for `email`, the newest. */
export function loggedCode(log: string[], email: string): string {
  const line = log.filter((l) => l.includes(`sign-in code for ${email}:`)).pop();
  const code = line ? /: (\d{6}) /.exec(line)?.[1] : undefined;
  if (!code) throw new Error(`no sign-in code was logged for ${email}`);
  return code;
}
