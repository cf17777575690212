// A real webhook receiver for end-to-end tests: node:http on 127.0.0.1 (port 0) that keeps every
// request it gets and answers each with what the test's `answer` says (a status, or no answer at
// all to hold the connection open, as a receiver that hangs would).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type HookAnswer = number | 'hang' | { status: number; headers: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedHook[];
  /** Waits until `check` holds for what was received, or fails after timeoutMs. */
  waitFor(check: (received: ReceivedHook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (n: number, hook: ReceivedHook) => HookAnswer = () => 200, port = 0): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const hook = { headers: req.headers, body, at: Date.now() };
      received.push(hook);
      const a = answer(received.length, hook);
      if (a === 'hang') {
        hanging.add(res);
        return;
      }
      const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(status >= 200 && status < 300 ? 'ok' : `answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    async waitFor(check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(received)) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} requests, and not what the test waited for, within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
