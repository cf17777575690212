import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from 'invoker-mcp/errors.js';
import { guardedFetch, isRefusedAddress, OUTBOUND_REFUSED, vetTarget, type OutboundPolicy, type ResolvedAddress } from './outbound-fetch.js';

const STRICT: OutboundPolicy = { allowPrivate: false, timeoutMs: 2_000, maxBytes: 64 * 1024 };

/** A resolver that answers from a table and counts the lookups. */
function resolver(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls };
}

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (isAppError(e) && e.details.reason === OUTBOUND_REFUSED) return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('which addresses a tenant-chosen request may reach', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b:1::a9fe:a9fe',
    '2002:7f00:1::1',
    '2001:db8::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '1.1.1.1', '8.8.8.8', '2606:4700:4700::1111', '64:ff9b::5db8:d822', '2002:5db8:d822::1'])('allows the public address %s', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });
});

describe('vetting a target URL', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://2130706433/hook',
    'https://0x7f.1/hook',
    'https://0177.0.0.1/hook',
    'https://127.1/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[64:ff9b::a9fe:a9fe]/latest/meta-data',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/',
  ])('refuses the numeric spelling %s', async (url) => {
    expect(await refusalOf(vetTarget(url, STRICT))).toMatch(/private, loopback or reserved address/);
  });

  it('refuses a name when any address it resolves to is private, and says which', async () => {
    const { resolve } = resolver({ 'mixed.example': ['93.184.216.34', '10.1.2.3'], 'inside.example': ['127.0.0.1'] });
    expect(await refusalOf(vetTarget('https://mixed.example/x', { ...STRICT, resolve }))).toMatch(/mixed\.example resolves to 10\.1\.2\.3/);
    expect(await refusalOf(vetTarget('https://inside.example/x', { ...STRICT, resolve }))).toMatch(/127\.0\.0\.1/);
  });

  it.each([
    ['http://example.com/hook', /Only https:\/\//],
    ['javascript:alert(1)', /Only https:\/\//],
    ['file:///etc/passwd', /Only https:\/\//],
    ['https://user:pass@example.com/', /credentials/],
    ['not a url', /not an absolute URL/],
  ])('refuses %s', async (url, message) => {
    const { resolve } = resolver({ 'example.com': ['93.184.216.34'] });
    expect(await refusalOf(vetTarget(url, { ...STRICT, resolve }))).toMatch(message);
  });

  it('refuses a name that does not resolve, saying so', async () => {
    const { resolve } = resolver({});
    expect(await refusalOf(vetTarget('https://nowhere.example/', { ...STRICT, resolve }))).toMatch(/has no address/);
  });

  it('lets a private address and http through only when the operator allows it', async () => {
    const vetted = await vetTarget('http://127.0.0.1:9/x', { allowPrivate: true });
    expect(vetted.address.address).toBe('127.0.0.1');
  });
});

describe('guardedFetch against a real server on loopback (private fetch allowed)', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ host: string | undefined; url: string | undefined }> = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ host: req.headers.host, url: req.url });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
      } else if (req.url === '/slow') {
        res.writeHead(200);
        res.write('part');
        // Never ends: the deadline must.
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const allowed = (extra: Partial<OutboundPolicy> = {}): OutboundPolicy => ({ allowPrivate: true, timeoutMs: 2_000, maxBytes: 64 * 1024, ...extra });

  it('resolves the name once and connects to the vetted address, sending the name as Host', async () => {
    const { resolve, calls } = resolver({ 'hooks.example.test': ['127.0.0.1'] });
    const res = await guardedFetch(`http://hooks.example.test:${port}/hook`, { method: 'POST', body: '{}' }, allowed({ resolve }));
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"ok":true}');
    expect(res.address).toBe('127.0.0.1');
    expect(calls).toEqual(['hooks.example.test']);
    expect(seen.at(-1)).toEqual({ host: `hooks.example.test:${port}`, url: '/hook' });
  });

  it('answers a redirect as it is, without following it', async () => {
    const before = seen.length;
    const res = await guardedFetch(`http://127.0.0.1:${port}/redirect`, {}, allowed());
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://169.254.169.254/latest/meta-data');
    expect(seen.length).toBe(before + 1);
  });

  it('cuts the body at maxBytes and says it did', async () => {
    const res = await guardedFetch(`http://127.0.0.1:${port}/big`, {}, allowed({ maxBytes: 1_000 }));
    expect(res.truncated).toBe(true);
    expect(res.body.byteLength).toBe(1_000);
  });

  it('gives up at the deadline even while bytes trickle in', async () => {
    const started = Date.now();
    await expect(guardedFetch(`http://127.0.0.1:${port}/slow`, {}, allowed({ timeoutMs: 300 }))).rejects.toMatchObject({ code: 'upstream' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('without the operator setting, the same loopback server is refused before anything is sent', async () => {
    const before = seen.length;
    expect(await refusalOf(guardedFetch(`http://127.0.0.1:${port}/hook`, {}, STRICT))).toMatch(/Only https/);
    expect(await refusalOf(guardedFetch(`https://127.0.0.1:${port}/hook`, {}, STRICT))).toMatch(/private, loopback or reserved/);
    expect(seen.length).toBe(before);
  });
});

describe('guardedFetch keeps connections per vetted address (private fetch allowed)', () => {
  const allowed = (resolve?: OutboundPolicy['resolve']): OutboundPolicy => ({ allowPrivate: true, timeoutMs: 2_000, maxBytes: 64 * 1024, resolve });

  it('sends the requests of one address on one connection, and a name that now resolves elsewhere to that address', async () => {
    const seen: Array<{ local: string; port: number }> = [];
    const handler = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
      seen.push({ local: req.socket.localAddress ?? '', port: req.socket.remotePort ?? 0 });
      res.end('ok');
    };
    const first = createServer(handler);
    await new Promise<void>((r) => first.listen(0, '127.0.0.1', r));
    const port = (first.address() as AddressInfo).port;
    // The same port on another loopback address: only the address the name resolves to tells them apart.
    const second = createServer(handler);
    await new Promise<void>((r) => second.listen(port, '127.0.0.2', r));
    try {
      const table: Record<string, string[]> = { 'hooks.example.test': ['127.0.0.1'] };
      const { resolve } = resolver(table);
      const url = `http://hooks.example.test:${port}/hook`;
      for (let i = 0; i < 3; i++) expect((await guardedFetch(url, { method: 'POST', body: '{}' }, allowed(resolve))).status).toBe(200);
      expect(seen.map((s) => s.local)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
      expect(new Set(seen.map((s) => s.port)).size).toBe(1);
      table['hooks.example.test'] = ['127.0.0.2'];
      const moved = await guardedFetch(url, { method: 'POST', body: '{}' }, allowed(resolve));
      expect(moved.address).toBe('127.0.0.2');
      expect(seen.at(-1)?.local).toBe('127.0.0.2');
    } finally {
      for (const server of [first, second]) {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });

  it('sends a request again, once, on a new connection when the kept one was reset before any answer', async () => {
    // A receiver that answers each connection's first request and resets the connection at its second.
    let connections = 0;
    let answered = 0;
    let resets = 0;
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket: Socket) => {
      connections++;
      sockets.add(socket);
      let requests = 0;
      socket.on('data', () => {
        requests++;
        if (requests === 1) {
          answered++;
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
        } else {
          resets++;
          socket.resetAndDestroy();
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.3', r));
    const { port } = server.address() as AddressInfo;
    try {
      const url = `http://127.0.0.3:${port}/hook`;
      expect((await guardedFetch(url, { method: 'POST', body: '{}' }, allowed())).status).toBe(200);
      const again = await guardedFetch(url, { method: 'POST', body: '{}' }, allowed());
      expect(again.status).toBe(200);
      expect(again.body.toString()).toBe('ok');
      // The second went first on the kept connection (reset there), then on a new one.
      expect({ connections, answered, resets }).toEqual({ connections: 2, answered: 2, resets: 1 });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
