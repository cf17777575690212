// `invoker-mcp serve`: binds the platform app to a socket, resolves the URLs that depend on the
// bound port, and shuts down gracefully (stop accepting, finish in-flight requests, close the store).
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { ServeConfig } from '../config.js';
import { AppError } from '../errors.js';
import { CachedStore } from '../store/cached-store.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createApp } from './app.js';
import type { AppDeps, Logger } from './context.js';
import type { PostgresStore } from '../store/postgres.js';
import { createRateLimiter, type RateLimiterFactory } from './rate-limit.js';
import { createLogMailer, createSmtpMailer } from './mailer.js';
import { DEFAULT_DEPLOY_LIMITS } from './site-files.js';
import { nodeLane } from './node-lane.js';
import { platformUrls, type PlatformUrls } from './urls.js';

export interface RunningServer {
  urls: PlatformUrls;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(config: ServeConfig, log: Logger): Promise<RunningServer> {
  const inner = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const shared = inner.kind === 'postgres';
  const store = new CachedStore(inner, undefined, { shared });
  // Several instances share PostgreSQL: their writes clear this process's caches, and the rate
  // limits are counted in the database so every instance draws on one budget per client.
  await store.watchChanges(() => store.invalidate()).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  const rateLimiters: RateLimiterFactory = shared
    ? (options) => (inner as PostgresStore).createRateLimiter(options)
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
    await store.close();
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
  const urls = platformUrls(config.publicUrl ?? `http://localhost:${port}`, config.sitesDomain ?? `localhost:${port}`);
  const deps: AppDeps = {
    store,
    urls,
    limits: { ...DEFAULT_DEPLOY_LIMITS, maxSites: config.maxSites },
    now: () => new Date(),
    log,
    apiRateLimiter: limiter('api', config.rateLimit),
    submissionLimiter: limiter('submit', 10),
    trustProxy: config.trustProxy,
    rateLimiters,
    mailer,
  };
  const viaHono = getRequestListener(createApp(deps).fetch, {
    // A request that cannot become a web Request (a Host header that is no host, `GET *`, a
    // backslash in the path) is bad input: answer it in the JSON error format, not a bare 400.
    errorHandler: (e) => {
      const bad = e instanceof Error && e.name === 'RequestError';
      if (!bad) log.error(`request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      const body = bad
        ? { error: `Bad request (${(e as Error).message}). Send a valid Host header and an absolute path.`, code: 'invalid_input' }
        : { error: 'Unexpected error. Please report it with the steps that led here.', code: 'internal' };
      return Response.json(body, { status: bad ? 400 : 500 });
    },
  });
  // The hot paths (site pages, GET /me) are answered on node:http; everything else by the Hono app.
  const lane = nodeLane(deps);
  handler = (req, res) => {
    if (!lane(req, res)) void viaHono(req, res);
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await store.close();
    })();
    return closing;
  };
  return { urls, port, store, close };
}
