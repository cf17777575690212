// A TCP proxy in front of the test PostgreSQL server that can silence the LISTEN connections of the
// `serve` processes behind it: each stays open and nothing passes either way, as when a network drops
// packets without closing anything. Every other connection passes untouched. The listener is known by
// the application_name it sends in its startup message (`invoker-mcp listener pid=N`).
import { connect, createServer, type Socket } from 'node:net';

export interface PgProxy {
  /** databaseUrl with its host and port replaced by the proxy's. */
  url(databaseUrl: string): string;
  /** Silences every listener connection open now; returns how many. */
  silenceListeners(): number;
  close(): Promise<void>;
}

export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl);
  const pairs = new Set<{ client: Socket; server: Socket; listener: boolean; silent: boolean }>();
  const proxy = createServer((client) => {
    const server = connect(Number(target.port), target.hostname);
    const pair = { client, server, listener: false, silent: false };
    pairs.add(pair);
    let first = true;
    client.on('data', (d) => {
      if (first) pair.listener = d.includes('invoker-mcp listener');
      first = false;
      if (!pair.silent) server.write(d);
    });
    server.on('data', (d) => {
      if (!pair.silent) client.write(d);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  return {
    url(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    silenceListeners() {
      let n = 0;
      for (const pair of pairs) if (pair.listener && !pair.silent) (pair.silent = true), n++;
      return n;
    },
    async close() {
      for (const pair of pairs) (pair.client.destroy(), pair.server.destroy());
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
