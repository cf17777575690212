// `invoker-mcp serve`: binds the platform app to a socket, resolves the URLs that depend on the
// bound port, and shuts down gracefully (stop accepting, finish in-flight requests, close the store).
// On SQLite it first takes the data dir's lock: one serve per data dir. Every request runs inside a
// boundary that answers its own failure (500 with a request id) and never ends the process.
import type { AddressInfo } from 'node:net';
import { Resolver } from 'node:dns/promises';
import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { ServeConfig } from '../config.js';
import { AppError } from 'invoker-mcp/errors.js';
import { CachedStore } from '../store/cached-store.js';
import { lockDataDir, type DataDirLock } from '../store/data-dir-lock.js';
import { loadServerSecret, type ServerSecret } from '../server-secret.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createApp } from './app.js';
import type { AppDeps, Logger } from './context.js';
import type { PostgresStore } from '../store/postgres.js';
import { createRateLimiter, type RateLimiterFactory } from './rate-limit.js';
import { createLogMailer, createSmtpMailer } from './mailer.js';
import { failureAnswer } from './http-errors.js';
import { failRequest, nodeLane } from './node-lane.js';
import { platformUrls, type PlatformUrls } from '../services/urls.js';
import { startJobs } from '../services/jobs.js';
import type { ResolvedAddress } from '../outbound-fetch.js';

/**
 * INVOKER_DNS_SERVERS: one resolver for TXT records (domain verification) and for the addresses of
 * outbound fetches. Unset: the system's servers for TXT records, and getaddrinfo for addresses (so
 * /etc/hosts counts as usual). Either way a lookup gives up after seconds, not c-ares' default retries.
 */
function customResolver(servers: string[] | undefined): { resolve?: (hostname: string) => Promise<ResolvedAddress[]>; resolveTxt: (name: string) => Promise<string[][]> } {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (!servers) return { resolveTxt: (name) => resolver.resolveTxt(name) };
  resolver.setServers(servers);
  const addresses = async (hostname: string): Promise<ResolvedAddress[]> => {
    const [v4, v6] = await Promise.all([resolver.resolve4(hostname).catch(() => []), resolver.resolve6(hostname).catch(() => [])]);
    return [...v4.map((address) => ({ address, family: 4 as const })), ...v6.map((address) => ({ address, family: 6 as const }))];
  };
  return { resolve: addresses, resolveTxt: (name: string) => resolver.resolveTxt(name) };
}

export interface RunningServer {
  urls: PlatformUrls;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Wraps the opened store (tests make one fail on purpose to prove a failure stays in its request). */
  wrapStore?: (store: Store) => Store;
}

export async function startServer(config: ServeConfig, log: Logger, options: StartOptions = {}): Promise<RunningServer> {
  // Before the store opens: a second serve on this data dir must not touch it at all.
  const lock: DataDirLock | null = config.databaseUrl ? null : lockDataDir(config.dataDir);
  let secret: ServerSecret;
  try {
    secret = await loadServerSecret({ configured: config.secret, dataDir: config.dataDir, shared: config.databaseUrl !== undefined });
  } catch (e) {
    lock?.release();
    throw e;
  }
  let opened: Store;
  try {
    opened = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, postgres: config.postgres, log });
  } catch (e) {
    lock?.release();
    throw e;
  }
  const inner = options.wrapStore ? options.wrapStore(opened) : opened;
  const shared = inner.kind === 'postgres';
  const store = new CachedStore(inner, undefined, { shared });
  const closeStore = async () => {
    await store.close();
    lock?.release();
  };
  // Several instances share PostgreSQL: their writes clear this process's caches (which stay off
  // while their notifications may be missed), and the rate limits are counted in the database so
  // every instance draws on one budget per client.
  await store.follow().catch(async (e: unknown) => {
    await closeStore();
    throw e;
  });
  const rateLimiters: RateLimiterFactory = shared
    ? (limiterOptions) => (opened as PostgresStore).createRateLimiter(limiterOptions)
    : createRateLimiter;
  const limiter = (name: string, limit: number) => rateLimiters({ name, limit, windowMs: 60_000 });
  let handler: RequestListener | undefined;
  // Without Host the request still reaches the handler, which refuses it with a JSON 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end('{"error":"Starting up, retry in a moment.","code":"upstream"}');
  });

  // Requests node:http's parser refuses (bad request line, NUL bytes, oversized headers) get the
  // JSON error format too, instead of node's bare "400 Bad Request".
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // As node's own handler does: never write a second answer into a response already under way.
    const current = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || current?.headersSent) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      tooLarge
        ? { error: 'The request headers are too large. Send fewer or shorter headers.', code: 'too_large' }
        : { error: 'Malformed HTTP request. Check the request line, headers and body framing.', code: 'invalid_input' },
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  }).catch(async (e: NodeJS.ErrnoException) => {
    await closeStore();
    if (e.code === 'EADDRINUSE') {
      throw new AppError('config', `Port ${config.port} is in use. Stop the other process or pass --port (0 picks a free one).`);
    }
    throw e;
  });

  const mailer = config.smtpUrl ? await createSmtpMailer(config.smtpUrl, config.mailFrom) : createLogMailer(log);
  if (mailer.kind === 'log') {
    log.warn(
      'DEVELOPMENT MODE: INVOKER_SMTP_URL is not set, so sign-in codes and links are written to this log instead of being mailed. ' +
        'Set INVOKER_SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) before letting anyone else log in.',
    );
  }
  const dns = customResolver(config.domains.dnsServers);
  const urls = platformUrls(config.publicUrl ?? `http://localhost:${port}`, config.sitesDomain ?? `localhost:${port}`);
  const deps: AppDeps = {
    store,
    urls,
    limits: config.limits,
    now: () => new Date(),
    log,
    apiRateLimiter: limiter('api', config.rateLimit),
    submissionLimiter: limiter('submit', config.limits.submissionsPerMinute),
    trustProxy: config.trustProxy,
    rateLimiters,
    mailer,
    login: config.login,
    secret,
    outbound: { allowPrivate: config.allowPrivateFetch, ...(dns.resolve ? { resolve: dns.resolve } : {}) },
    forms: config.forms,
    domains: config.domains,
    resolveTxt: dns.resolveTxt,
    anonymous: config.anonymous,
  };
  // Webhook delivery, notification mail, retention: off the request path, stopped before the store closes.
  const jobs = await startJobs(deps, { mailer }, log);
  deps.outboxWritten = jobs.wake;
  const viaHono = getRequestListener(createApp(deps).fetch, {
    // A request that cannot become a web Request (a Host header that is no host, `GET *`, a
    // backslash in the path) is bad input: answer it in the JSON error format, not a bare 400.
    errorHandler: (e) => {
      if (e instanceof Error && e.name === 'RequestError') {
        return Response.json(
          { error: `Bad request (${e.message}). Send a valid Host header and an absolute path.`, code: 'invalid_input' },
          { status: 400 },
        );
      }
      const answer = failureAnswer(log, 'request', e);
      return Response.json(answer.body, { status: answer.status, headers: answer.headers });
    },
  });
  // The hot paths (site pages, GET /me) are answered on node:http; everything else by the Hono app.
  // The request boundary: a throw, sync or async, on either path ends this request only.
  const lane = nodeLane(deps);
  handler = (req, res) => {
    try {
      if (lane(req, res)) return;
      viaHono(req, res).catch((e: unknown) => failRequest(res, log, `${req.method} ${req.url}`, e));
    } catch (e) {
      failRequest(res, log, `${req.method} ${req.url}`, e);
    }
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await jobs.stop();
      await closeStore();
    })();
    return closing;
  };
  return { urls, port, store, close };
}
