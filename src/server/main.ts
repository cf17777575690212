// `invoker-mcp serve`: binds the platform app to a socket, resolves the URLs that depend on the
// bound port, and shuts down gracefully (stop accepting, finish in-flight requests, close the store).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { ServeConfig } from '../config.js';
import { AppError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { createApp } from './app.js';
import type { Logger } from './context.js';
import { createRateLimiter } from './rate-limit.js';
import { DEFAULT_DEPLOY_LIMITS } from './site-files.js';
import { platformUrls, type PlatformUrls } from './urls.js';

export interface RunningServer {
  urls: PlatformUrls;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(config: ServeConfig, log: Logger): Promise<RunningServer> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  let handler: ((request: Request) => Response | Promise<Response>) | undefined;
  const server = createAdaptorServer({
    fetch: (request: Request) =>
      handler ? handler(request) : new Response('{"error":"Starting up, retry in a moment.","code":"upstream"}', { status: 503 }),
  }) as Server;

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

  const urls = platformUrls(config.publicUrl ?? `http://localhost:${port}`, config.sitesDomain ?? `localhost:${port}`);
  const app = createApp({
    store,
    urls,
    limits: { ...DEFAULT_DEPLOY_LIMITS, maxSites: config.maxSites },
    now: () => new Date(),
    log,
    apiRateLimiter: createRateLimiter({ limit: config.rateLimit, windowMs: 60_000 }),
    submissionLimiter: createRateLimiter({ limit: 10, windowMs: 60_000 }),
    trustProxy: config.trustProxy,
  });
  handler = (request) => app.fetch(request);

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
