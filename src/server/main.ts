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
import { createLogMailer, createSmtpMailer } from './mailer.js';
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
  let handler: ((request: Request, env: unknown) => Response | Promise<Response>) | undefined;
  const server = createAdaptorServer({
    // env carries the socket, from which the routes read the client IP.
    fetch: (request: Request, env: unknown) =>
      handler ? handler(request, env) : new Response('{"error":"Starting up, retry in a moment.","code":"upstream"}', { status: 503 }),
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

  const mailer = config.smtpUrl ? await createSmtpMailer(config.smtpUrl, config.mailFrom) : createLogMailer(log);
  if (mailer.kind === 'log') {
    log.warn(
      'DEVELOPMENT MODE: INVOKER_SMTP_URL is not set, so sign-in codes and links are written to this log instead of being mailed. ' +
        'Set INVOKER_SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) before letting anyone else log in.',
    );
  }
  const urls = platformUrls(config.publicUrl ?? `http://localhost:${port}`, config.sitesDomain ?? `localhost:${port}`);
  const app = createApp({
    store,
    urls,
    limits: { ...DEFAULT_DEPLOY_LIMITS, maxSites: config.maxSites },
    now: () => new Date(),
    log,
    mailer,
    trustProxy: config.trustProxy,
  });
  handler = (request, env) => app.fetch(request, env as Record<string, unknown>);

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
