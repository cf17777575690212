// Custom domains behind a real Caddy (Debian's `caddy`), as docs/SELF-HOSTING.md sets it up: on-demand
// TLS that asks `serve` (GET /_caddy/ask) before it gets a certificate, here from Caddy's internal CA
// on loopback ports; plain http proxied for the verification token and redirected otherwise; the
// rest proxied to `serve` with INVOKER_TRUST_PROXY=1. A real DNS server (dns2) on loopback resolves
// the custom names to 127.0.0.1 for the platform. The client resolves them itself (SNI and Host set,
// connection to 127.0.0.1) and trusts only Caddy's local root. Run by `npm run test:proxy`, not by
// `npm test`; without caddy it fails, naming the command that installs it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedCall } from '../helpers/keyed-call.js';
import { freePort } from '../helpers/oauth-client.js';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';

const INSTALL = 'apt-get update && apt-get install -y caddy';

function caddyVersion(): string {
  try {
    return execFileSync('caddy', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`caddy is not installed (or not on PATH): this suite needs a real Caddy. Install it with: ${INSTALL}`);
  }
}

/** The Caddyfile of docs/SELF-HOSTING.md, on loopback ports, with Caddy's internal CA instead of an ACME one. */
function caddyfile(ports: { http: number; https: number; serve: number }): string {
  return `{
	admin off
	skip_install_trust
	local_certs
	http_port ${ports.http}
	https_port ${ports.https}
	on_demand_tls {
		ask http://127.0.0.1:${ports.serve}/_caddy/ask
	}
}

http:// {
	handle /.well-known/invoker-verification/* {
		reverse_proxy 127.0.0.1:${ports.serve}
	}
	handle {
		redir https://{host}{uri} 308
	}
}

https:// {
	tls {
		on_demand
	}
	reverse_proxy 127.0.0.1:${ports.serve}
}
`;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TLS handshake to Caddy with this SNI: the certificate's subject names, or the handshake's error. */
function handshake(port: number, servername: string, ca?: Buffer): Promise<{ names: string; authorized: boolean } | { error: string }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, ...(ca ? { ca } : { rejectUnauthorized: false }) }, () => {
      const cert = socket.getPeerCertificate();
      resolve({ names: String(cert.subjectaltname ?? ''), authorized: socket.authorized });
      socket.end();
    });
    socket.on('error', (e) => resolve({ error: e.message }));
  });
}

/** GET over HTTPS to Caddy as a browser for `host` sends it: SNI and Host, the connection to 127.0.0.1. */
function httpsGet(port: number, host: string, path: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, servername: host, path, headers: { host: `${host}:${port}` }, ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Checked when the file loads: without caddy the file fails with the install command, and no test
// is reported as skipped.
const CADDY_VERSION = caddyVersion();

describe('custom domains behind a real Caddy with on-demand TLS', () => {
  let dir: string;
  let caddy: ChildProcess | undefined;
  let caddyLog = '';
  let dns: DnsServer;
  let platform: Platform;
  let key: string;
  let site: { id: string; slug: string };
  let root: Buffer;
  const ports = { http: 0, https: 0, serve: 0 };
  const shop = 'shop.example.test';
  const other = 'other.example.test';

  beforeAll(async () => {
    const version = CADDY_VERSION;
    dir = mkdtempSync(join(tmpdir(), 'invoker-caddy-'));
    dns = await startDnsServer();
    for (const name of [shop, other]) dns.a.set(name, '127.0.0.1');
    [ports.http, ports.https, ports.serve] = [await freePort(), await freePort(), await freePort()];
    platform = await startPlatform({
      port: ports.serve,
      env: {
        INVOKER_TRUST_PROXY: '1',
        INVOKER_SITES_DOMAIN: `sites.example.test:${ports.https}`,
        INVOKER_DNS_SERVERS: dns.address,
        // The token is fetched from Caddy's http port (80 in production), through the guard; on loopback.
        INVOKER_DOMAIN_HTTP_PORT: String(ports.http),
        INVOKER_ALLOW_PRIVATE_FETCH: '1',
      },
    });
    key = await createKey(platform, 'caddy@example.com');
    const deployed = await keyedCall(platform.port, key, 'POST', '/deploy', { html: '<title>Shop</title><h1>The shop, live</h1>', slug: 'shop', publish: true });
    expect(deployed.status).toBe(201);
    site = { id: deployed.json.id as string, slug: 'shop' };

    const file = join(dir, 'Caddyfile');
    writeFileSync(file, caddyfile(ports));
    caddy = spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stdout?.on('data', (d: Buffer) => (caddyLog += d.toString()));
    caddy.stderr?.on('data', (d: Buffer) => (caddyLog += d.toString()));
    const exited = new Promise<string>((resolve) => caddy?.once('exit', (code) => resolve(`caddy (${version}) exited with ${code}:\n${caddyLog}`)));
    // Ready once a handshake for a site host (the ask says yes) completes.
    await Promise.race([
      until('Caddy to answer TLS', async () => {
        const got = await handshake(ports.https, `${site.slug}.sites.example.test`);
        return 'names' in got ? got : undefined;
      }),
      exited.then((message) => Promise.reject(new Error(message))),
    ]);
    const rootFile = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    root = await until("Caddy's local root certificate", () => (existsSync(rootFile) ? readFileSync(rootFile) : undefined));
  }, 120_000);

  afterAll(async () => {
    if (caddy && caddy.exitCode === null) {
      const gone = new Promise((r) => caddy?.once('exit', r));
      caddy.kill('SIGTERM');
      await gone;
    }
    await platform?.stop();
    await dns?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves a site host over HTTPS with a certificate from Caddy's local CA", async () => {
    const host = `${site.slug}.sites.example.test`;
    const got = await handshake(ports.https, host, root);
    expect(got).toMatchObject({ authorized: true, names: expect.stringContaining(`DNS:${host}`) });
    const res = await httpsGet(ports.https, host, '/', root);
    expect(res.status).toBe(200);
    expect(res.body).toContain('The shop, live');
  });

  it('gives an unverified domain no certificate: the ask says no, and the handshake fails', async () => {
    const added = await keyedCall(platform.port, key, 'POST', `/deploy/${site.id}/domains`, { domain: other });
    expect(added.status).toBe(201);
    expect((await httpRequest(platform.port, { path: `/_caddy/ask?domain=${other}` })).status).toBe(404);
    const got = await handshake(ports.https, other, root);
    expect(got).toHaveProperty('error');
    expect((got as { error: string }).error).toMatch(/alert|handshake|disconnected|socket/i);
    const nobody = await handshake(ports.https, 'nobody.example.test', root);
    expect(nobody).toHaveProperty('error');
  });

  it('verifies a domain by the HTTP token through Caddy, then serves its live page over HTTPS to a client that trusts the local root', async () => {
    const added = await keyedCall(platform.port, key, 'POST', `/deploy/${site.id}/domains`, { domain: shop });
    expect(added.status).toBe(201);
    expect(added.json.status).toBe('pending');
    expect((await handshake(ports.https, shop, root))).toHaveProperty('error');
    // The platform fetches http://shop.example.test:{caddy http}/.well-known/invoker-verification/{token}:
    // Caddy proxies that path to serve, which answers the pending domain's token.
    const checked = await keyedCall(platform.port, key, 'POST', `/deploy/${site.id}/domains`, { domain: shop });
    expect(checked.status, JSON.stringify(checked.json)).toBe(200);
    expect(checked.json).toMatchObject({ status: 'verified', verified_by: 'http' });

    const got = await handshake(ports.https, shop, root);
    expect(got).toMatchObject({ authorized: true, names: expect.stringContaining(`DNS:${shop}`) });
    const res = await httpsGet(ports.https, shop, '/', root);
    expect(res.status).toBe(200);
    expect(res.body).toContain('The shop, live');
    const slugPage = await httpsGet(ports.https, `${site.slug}.sites.example.test`, '/', root);
    expect(res.body).toBe(slugPage.body);
  });

  it('stops serving a removed domain on the next request', async () => {
    const removed = await keyedCall(platform.port, key, 'DELETE', `/deploy/${site.id}/domains/${shop}`);
    expect(removed.status).toBe(204);
    const res = await httpsGet(ports.https, shop, '/', root);
    expect(res.status).toBe(404);
    expect(res.body).toContain('Unknown host');
    expect((await httpRequest(platform.port, { path: `/_caddy/ask?domain=${shop}` })).status).toBe(404);
  });
});
