// What a real remote MCP client brings to the OAuth dance, for the end-to-end suites: the SDK's own
// OAuthClientProvider (an in-memory one, as a desktop client keeps it), the loopback callback its
// redirect URI names, a Client ID Metadata Document served over https by a loopback server whose
// certificate comes from a throwaway test CA (which `serve` trusts through NODE_EXTRA_CA_CERTS), and
// a round-robin balancer in front of several `serve` processes, so every request may land on any
// instance.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthClientProvider, OAuthDiscoveryState, OAuthTokens } from '@modelcontextprotocol/client';

const listen = (server: Server, host = '127.0.0.1') =>
  new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A CA and a certificate for localhost/127.0.0.1 it signed, made with openssl. */
export function makeTestCa(): { caFile: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'invoker-ca-'));
  const p = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Invoker test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', '/CN=localhost');
  writeFileSync(p('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  ssl('x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('leaf.pem'), '-days', '2', '-extfile', p('ext.cnf'));
  return { caFile: p('ca.pem'), key: readFileSync(p('leaf.key'), 'utf8'), cert: readFileSync(p('leaf.pem'), 'utf8') };
}

export interface MetadataServer {
  /** https://localhost:PORT/{name}.json, serving `documents[name]` (a function of its own URL). */
  url(name: string): string;
  documents: Map<string, (url: string) => unknown>;
  close(): Promise<void>;
}

export async function startMetadataServer(tls: { key: string; cert: string }): Promise<MetadataServer> {
  const documents = new Map<string, (url: string) => unknown>();
  let port = 0;
  const url = (name: string) => `https://localhost:${port}/${name}.json`;
  const server = createHttpsServer(tls, (req, res) => {
    const name = /^\/([a-z0-9-]+)\.json$/.exec(req.url ?? '')?.[1];
    const doc = name ? documents.get(name) : undefined;
    if (!doc) return res.writeHead(404).end();
    const body = JSON.stringify(doc(url(name!)));
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  port = await listen(server, '127.0.0.1');
  return { url, documents, close: () => closeServer(server) };
}

/** The loopback redirect URI a native client listens on; resolves each callback's query. */
export interface Callback {
  redirectUri: string;
  next(): Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startCallback(): Promise<Callback> {
  const waiting: Array<(q: URLSearchParams) => void> = [];
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this tab.');
    // The redirect only (not the browser's /favicon.ico), told to everyone waiting for it: the
    // client's provider and the person's page both wait for the one redirect.
    if (url.pathname === '/callback') for (const resolve of waiting.splice(0)) resolve(url.searchParams);
  });
  const port = await listen(server);
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => closeServer(server),
  };
}

/** The SDK's provider interface, kept in memory; `onAuthorize` plays the person in the browser. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  /** Kept with the verifier so the SDK can bind the callback to the server it started with (SEP-2352). */
  discovery: OAuthDiscoveryState | undefined;
  constructor(
    private readonly options: { redirectUri: string; clientName: string; scope?: string; clientMetadataUrl?: string; onAuthorize: (url: URL) => Promise<void> },
  ) {}
  get redirectUrl() {
    return this.options.redirectUri;
  }
  get clientMetadataUrl() {
    return this.options.clientMetadataUrl;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName,
      redirect_uris: [this.options.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(this.options.scope ? { scope: this.options.scope } : {}),
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    return this.options.onAuthorize(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** A port nothing listens on right now, for a server that must know its port before it starts. */
export async function freePort(): Promise<number> {
  const server = createHttpServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

/**
 * A round-robin HTTP balancer: each request goes to the next upstream port, Host kept, with
 * `inject` headers added (a client that cannot send a header of its own gets it this way).
 */
export async function startBalancer(inject: Record<string, string> = {}): Promise<{ port: number; url: string; upstreams: number[]; close(): Promise<void> }> {
  const upstreams: number[] = [];
  let next = 0;
  const server = createHttpServer((req, res) => {
    const port = upstreams[next++ % upstreams.length]!;
    const proxied = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, ...inject } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  const port = await listen(server);
  return { port, url: `http://localhost:${port}`, upstreams, close: () => closeServer(server) };
}
